// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { defineComponent, h } from 'vue';
import type { ApiParams, RunDetail } from '../../../src/shared/api';
import { FIGURE_WIDTH_MM, type CompareSpec } from '../../../src/shared/plots';
import { setClient } from '../../../src/renderer/src/api/client';
import CompareView from '../../../src/renderer/src/views/CompareView.vue';
import { useActivityStore } from '../../../src/renderer/src/stores/activity';
import { charts, createFakeChart } from '../live/fakeChart';
import { fakeClient, type FakeClient } from '../fakeClient';
import { runRow } from '../runRows';
import { compareFigure, type FixtureRun } from '../figures/figureFixtures';

vi.mock('../../../src/renderer/src/charts/echartsSetup', () => ({ createChart: () => createFakeChart() }));

const RUNS: FixtureRun[] = [
  {
    id: 'r-plain-1',
    name: 'fig4-cpu/plain',
    config: { model: { normalization: 'none' }, seed: 1 },
    points: 5000,
  },
  {
    id: 'r-plain-2',
    name: 'fig4-cpu/plain',
    config: { model: { normalization: 'none' }, seed: 2 },
    points: 5000,
  },
  { id: 'r-bn-1', name: 'fig4-cpu/bn', config: { model: { normalization: 'batch' }, seed: 1 }, points: 5000 },
  { id: 'r-bn-2', name: 'fig4-cpu/bn', config: { model: { normalization: 'batch' }, seed: 2 }, points: 40 },
];

function detail(r: FixtureRun, status: RunDetail['run']['status'] = 'completed'): RunDetail {
  const row = runRow(0, { id: r.id, name: r.name, status });
  return {
    run: {
      id: r.id,
      name: r.name,
      config: r.config,
      status,
      backend: 'wasm',
      device: 'cpu',
      softwareDevice: false,
      seed: 1,
      createdAt: 0,
      startedAt: 0,
      endedAt: null,
      lastStep: 100,
      error: null,
      divergedAtStep: null,
      parentId: null,
      resumedFromStep: null,
      sweepId: null,
    },
    row,
    series: [],
    probes: [],
    slices: [],
    checkpoints: [],
  };
}

interface Setup {
  client: FakeClient;
  builds: { spec: CompareSpec; width: number }[];
  exports: ApiParams<'figures.export'>[];
  router: ReturnType<typeof createRouter>;
  wrapper: ReturnType<typeof mount>;
}

async function setup(query: string, options: { running?: string[] } = {}): Promise<Setup> {
  const builds: Setup['builds'] = [];
  const exports: Setup['exports'] = [];
  const running = new Set(options.running ?? []);
  const client = fakeClient({
    'compare.metrics': () => [
      { name: 'probe/ics/layer5/l2', runs: 2 },
      { name: 'test/accuracy', runs: 4 },
      { name: 'train/loss', runs: 4 },
    ],
    'runs.get': ({ runId }) => {
      const r = RUNS.find((x) => x.id === runId);
      if (!r) throw new Error(`no run ${runId}`);
      return detail(r, running.has(runId) ? 'running' : 'completed');
    },
    'runs.list': () => ({
      total: running.size,
      rows: [...running].map((id, i) => runRow(i, { id, status: 'running' })),
    }),
    'figures.build': (p) => {
      const spec = p.spec as CompareSpec;
      builds.push({ spec, width: p.width ?? 800 });
      return compareFigure(spec, RUNS, p.width ?? 800);
    },
    'figures.export': (p) => {
      exports.push(p);
      return { fileName: 'compare.png', mime: 'image/png', bytes: 3, base64: btoa('png') };
    },
  });
  setClient(client);
  const pinia = createPinia();
  setActivePinia(pinia);
  if (running.size > 0) await useActivityStore().reload();
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compare', component: CompareView },
      { path: '/runs/:id', component: { render: () => null } },
    ],
  });
  await router.push(`/compare?${query}`);
  const Host = defineComponent({ render: () => h(RouterView) });
  const wrapper = mount(Host, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await settle();
  return { client, builds, exports, router, wrapper };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flushPromises();
    await vi.advanceTimersByTimeAsync(0);
  }
}

/** ECharts' 'finished' after the latest setOption. */
function finishDrawing(): void {
  charts.at(-1)?.handlers.get('finished')?.();
}

const lastSpec = (s: Setup): CompareSpec => {
  const b = s.builds.at(-1);
  if (!b) throw new Error('no build yet');
  return b.spec;
};

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false });
  charts.length = 0;
});
afterEach(() => {
  document.body.innerHTML = '';
  setClient(null);
  vi.useRealTimers();
});

describe('the compare view', () => {
  it('opens a fresh comparison with the loss and accuracy panels the runs have, in the URL', async () => {
    const s = await setup('runs=r-plain-1,r-bn-1');
    expect(s.router.currentRoute.value.query['m']).toBe('train/loss,test/accuracy');
    expect(lastSpec(s)).toMatchObject({
      kind: 'compare',
      runIds: ['r-plain-1', 'r-bn-1'],
      panels: [
        { metric: 'train/loss', xScale: 'linear', yScale: 'linear' },
        { metric: 'test/accuracy', xScale: 'linear', yScale: 'linear' },
      ],
      x: 'step',
      groupBy: [],
      smoothing: 0,
    });
    expect(lastSpec(s)).not.toHaveProperty('range');
    const chart = s.wrapper.get('[data-testid="compare-chart"]');
    expect(chart.attributes('data-panels')).toBe('2');
    expect(chart.attributes('data-lines')).toBe('4');
    // One setOption per drawn figure, with one grid per panel.
    const option = charts.at(-1)?.options.at(-1) as { grid: unknown[]; dataZoom: unknown[] };
    expect(option.grid).toHaveLength(2);
    expect(option.dataZoom.length).toBeGreaterThan(0);
  });

  it('marks when the chart finished drawing a figure (the benchmark times build to drawn)', async () => {
    const marks = vi.spyOn(performance, 'mark');
    const s = await setup('runs=r-plain-1&m=train/loss');
    const chart = s.wrapper.get('[data-testid="compare-chart"]');
    expect(chart.attributes('data-rendered-at')).toBeUndefined();
    // Asked, and answered (the fake client answers at once); not drawn yet.
    expect(marks.mock.calls.map((c) => c[0])).toEqual(['normlab:compare-build', 'normlab:compare-built']);
    await vi.advanceTimersByTimeAsync(5);
    finishDrawing();
    await flushPromises();
    expect(Number(chart.attributes('data-rendered-at'))).toBeGreaterThan(0);
    expect(marks.mock.calls.map((c) => c[0])).toEqual([
      'normlab:compare-build',
      'normlab:compare-built',
      'normlab:compare-drawn',
    ]);
    // A 'finished' without a new figure (a hover, a tooltip) is not a drawing.
    finishDrawing();
    expect(marks).toHaveBeenCalledTimes(3);
    marks.mockRestore();
  });

  it('switches a panel to log y and the x axis to epochs, each a new build', async () => {
    const s = await setup('runs=r-plain-1,r-bn-1&m=train/loss,test/accuracy');
    await s.wrapper.get('[data-testid="compare-logy-0"]').trigger('click');
    await settle();
    expect(s.router.currentRoute.value.query['logy']).toBe('0');
    expect(lastSpec(s).panels[0]?.yScale).toBe('log');
    expect(lastSpec(s).panels[1]?.yScale).toBe('linear');
    await s.wrapper.get('[data-testid="compare-logx-1"]').trigger('click');
    await s.wrapper.get('[data-testid="compare-x-epoch"]').trigger('click');
    await settle();
    expect(lastSpec(s).panels[1]?.xScale).toBe('log');
    expect(lastSpec(s).x).toBe('epoch');
  });

  it("groups by a config key that differs, and the table names each run's group", async () => {
    const s = await setup('runs=r-plain-1,r-plain-2,r-bn-1,r-bn-2&m=train/loss');
    await s.wrapper.get('[data-testid="compare-groupby"]').trigger('click');
    const options = s.wrapper
      .findAll('[data-testid^="compare-groupby-option-"]')
      .map((o) => o.attributes('data-testid'));
    // seed differs too; keys the runs share are not offered.
    expect(options).toEqual(['compare-groupby-option-model.normalization', 'compare-groupby-option-seed']);
    await s.wrapper.get('[data-testid="compare-groupby-option-model.normalization"] input').setValue(true);
    await settle();
    expect(lastSpec(s).groupBy).toEqual(['model.normalization']);
    await s.wrapper.get('[data-testid="compare-band-std"]').trigger('click');
    await settle();
    expect(lastSpec(s).band).toBe('std');
    expect(s.wrapper.get('[data-testid="compare-view"]').text()).toContain('batch (n=2)');
  });

  it('smooths once the slider rests, not at every step of a drag', async () => {
    const s = await setup('runs=r-plain-1&m=train/loss');
    const before = s.builds.length;
    const slider = s.wrapper.get('[data-testid="compare-smoothing"]');
    for (const v of ['0.2', '0.4', '0.6']) {
      (slider.element as HTMLInputElement).value = v;
      await slider.trigger('input');
      await vi.advanceTimersByTimeAsync(50);
    }
    await settle();
    expect(s.builds.length).toBe(before);
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    expect(s.builds.length).toBe(before + 1);
    expect(lastSpec(s).smoothing).toBe(0.6);
    expect(s.wrapper.get('[data-testid="compare-chart"]').attributes('data-raw-lines')).toBe('1');
    expect(s.wrapper.get('[data-testid="compare-notes"]').text()).toContain('alpha 0.6');
    // Letting go of the slider applies at once.
    await slider.setValue('0.9');
    await settle();
    expect(s.builds.length).toBe(before + 2);
    expect(lastSpec(s).smoothing).toBe(0.9);
  });

  it('zooms to a range (re-read at the new resolution) and resets it', async () => {
    const s = await setup('runs=r-plain-1,r-bn-1&m=train/loss');
    expect(s.wrapper.find('[data-testid="compare-reset-zoom"]').exists()).toBe(false);
    const hook = (window as Window & { __normlabCompare?: { zoom(a: number, b: number): void } })
      .__normlabCompare;
    expect(hook).toBeDefined();
    hook?.zoom(40.5, 160.2);
    await settle();
    expect(lastSpec(s).range).toEqual([40, 161]);
    expect(s.router.currentRoute.value.query['range']).toBe('40,161');
    await s.wrapper.get('[data-testid="compare-reset-zoom"]').trigger('click');
    await settle();
    expect(lastSpec(s)).not.toHaveProperty('range');
  });

  it('turns a wheel zoom into a range once it rests', async () => {
    const s = await setup('runs=r-plain-1&m=train/loss');
    const chart = charts.at(-1);
    if (!chart) throw new Error('no chart');
    // The figure's x runs 10..(10 * points drawn); ECharts reports the window in percent.
    Object.assign(chart.zoom, { start: 50, end: 100 });
    chart.handlers.get('datazoom')?.();
    await vi.advanceTimersByTimeAsync(100);
    chart.handlers.get('datazoom')?.();
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    const spec = lastSpec(s);
    const xs =
      compareFigure({ ...spec, range: undefined }, RUNS, s.builds[0]?.width ?? 800).panels[0]?.lines[0]?.x ??
      [];
    const lo = xs[0] ?? 0;
    const hi = xs.at(-1) ?? 0;
    expect(spec.range).toEqual([Math.floor((lo + hi) / 2), hi]);
  });

  it('shows a badge on a downsampled panel and none on one drawn in full', async () => {
    const s = await setup('runs=r-bn-2&m=train/loss');
    expect(s.wrapper.find('[data-testid="compare-badge-0"]').exists()).toBe(false);
    await s.router.replace('/compare?runs=r-plain-1&m=train/loss');
    await settle();
    const width = s.builds.at(-1)?.width ?? 0;
    expect(s.wrapper.get('[data-testid="compare-badge-0"]').text()).toBe(
      `${Math.floor(width / 4).toLocaleString('en-US')} of 5,000 points`,
    );
  });

  it('lists the differing config keys per run, all of them on request, and removes a run', async () => {
    const s = await setup('runs=r-plain-1,r-bn-1&m=train/loss');
    const table = s.wrapper.get('[data-testid="compare-diff-table"]');
    expect(table.findAll('tbody th').map((t) => t.text())).toEqual(['model.normalization']);
    expect(table.text()).toContain('fig4-cpu/plain');
    expect(table.text()).toContain('completed');
    await table.get('[data-testid="compare-diff-all"]').setValue(true);
    expect(table.findAll('tbody th').map((t) => t.text())).toEqual(['model.normalization', 'seed']);
    await table.get('[data-testid="compare-remove-r-plain-1"]').trigger('click');
    await settle();
    expect(s.router.currentRoute.value.query['runs']).toBe('r-bn-1');
    expect(lastSpec(s).runIds).toEqual(['r-bn-1']);
  });

  it('adds a panel from the metric picker, searched', async () => {
    const s = await setup('runs=r-plain-1&m=train/loss');
    await s.wrapper.get('[data-testid="compare-metric-add"]').trigger('click');
    await s.wrapper.get('[data-testid="compare-metric-search"]').setValue('ics');
    const options = s.wrapper.findAll('[data-testid^="compare-metric-option-"]');
    expect(options.map((o) => o.attributes('data-testid'))).toEqual([
      'compare-metric-option-probe/ics/layer5/l2',
    ]);
    await options[0]?.trigger('click');
    await settle();
    expect(lastSpec(s).panels.map((p) => p.metric)).toEqual(['train/loss', 'probe/ics/layer5/l2']);
  });

  it('re-builds in place while a run trains, at most about once a second', async () => {
    const s = await setup('runs=r-plain-1,r-bn-1&m=train/loss', { running: ['r-bn-1'] });
    expect(s.client.calls).toContainEqual({
      method: 'events.subscribe',
      params: { topic: 'run', key: 'r-bn-1' },
    });
    const before = s.builds.length;
    const points = { type: 'metrics' as const, points: [{ series: 'train/loss', step: 1, value: 1 }] };
    for (let i = 0; i < 20; i++) {
      s.client.emit({ topic: 'run', runId: 'r-bn-1', event: points });
      await vi.advanceTimersByTimeAsync(100);
    }
    await settle();
    const after = s.builds.length - before;
    expect(after).toBeGreaterThanOrEqual(2);
    expect(after).toBeLessThanOrEqual(3);
    // A finished run's stream is not listened to.
    s.client.emit({ topic: 'run', runId: 'r-plain-1', event: points });
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(s.builds.length - before).toBe(after);
    s.wrapper.unmount();
    expect(s.client.calls).toContainEqual({
      method: 'events.unsubscribe',
      params: { topic: 'run', key: 'r-bn-1' },
    });
  });

  it('exports the current spec as a PNG at the DPI, and downloads it', async () => {
    const s = await setup('runs=r-plain-1,r-bn-1&m=train/loss&logy=0');
    const clicked: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    await s.wrapper.get('[data-testid="export-open"]').trigger('click');
    await s.wrapper.get('[data-testid="export-format-png"]').trigger('click');
    await s.wrapper.get('[data-testid="export-dpi"]').setValue('150');
    await s.wrapper.get('[data-testid="export-submit"]').trigger('click');
    await settle();
    expect(s.exports).toHaveLength(1);
    expect(s.exports[0]).toEqual({
      spec: lastSpec(s),
      format: 'png',
      size: { widthMm: FIGURE_WIDTH_MM.twoColumn, dpi: 150 },
    });
    expect(clicked).toEqual(['compare.png']);
    expect(s.wrapper.find('[data-testid="export-dialog"]').exists()).toBe(false);
    vi.restoreAllMocks();
  });

  it('says why an export failed and keeps the dialog open', async () => {
    const s = await setup('runs=r-plain-1&m=train/loss');
    s.client.call = (async (method: string) => {
      if (method === 'figures.export') throw new Error('resvg is not installed');
      return { ok: true };
    }) as typeof s.client.call;
    await s.wrapper.get('[data-testid="export-open"]').trigger('click');
    await s.wrapper.get('[data-testid="export-submit"]').trigger('click');
    await settle();
    expect(s.wrapper.get('[data-testid="export-error"]').text()).toContain('resvg is not installed');
  });

  it('offers runs to pick when the URL names none', async () => {
    const s = await setup('');
    expect(s.wrapper.text()).toContain('Choose runs to compare');
    expect(s.builds).toHaveLength(0);
  });
});
