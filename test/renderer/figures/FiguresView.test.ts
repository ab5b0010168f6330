// @vitest-environment happy-dom
import { figure, line, panel } from '../../shared/plotFigures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { defineComponent, h } from 'vue';
import type { ApiParams } from '../../../src/shared/api';
import { findTemplate } from '../../../src/shared/figureTemplates';
import type { PlotFigure, TemplateInfo, TemplateSpec } from '../../../src/shared/plots';
import { setClient } from '../../../src/renderer/src/api/client';
import FiguresView from '../../../src/renderer/src/views/FiguresView.vue';
import { charts, createFakeChart } from '../live/fakeChart';
import { fakeClient } from '../fakeClient';
import { runRow } from '../runRows';

vi.mock('../../../src/renderer/src/charts/echartsSetup', () => ({ createChart: () => createFakeChart() }));

const TEMPLATES: TemplateInfo[] = [
  {
    name: 'fig4',
    figure: '4',
    title: 'Fig 4: the loss landscape',
    description: 'Loss, gradient predictiveness and beta-smoothness along the gradient.',
    slots: [
      { label: 'plain', runIds: ['p1', 'p2'] },
      { label: 'bn', runIds: [] },
    ],
    panels: [
      { key: 'loss', title: 'loss landscape' },
      { key: 'grad', title: 'gradient predictiveness' },
      { key: 'beta', title: 'beta-smoothness' },
    ],
    paper: true,
  },
  {
    name: 'fig3a',
    figure: '3a',
    title: 'Fig 3a: ICS',
    description: 'ICS of layers 5 and 10.',
    slots: [{ label: 'plain-lr0.1', runIds: ['q1'] }],
    panels: [{ key: 'ics', title: 'ICS' }],
    paper: false,
  },
];

/** One panel per template panel, one line per slot run: enough to see what the view drew. */
function templateFigure(spec: TemplateSpec): PlotFigure {
  const info = TEMPLATES.find((t) => t.name === spec.template);
  if (!info) throw new Error(`no template ${spec.template}`);
  const runIds = info.slots.flatMap((s) => spec.slots[s.label] ?? s.runIds);
  return figure(
    info.panels.map((p) =>
      panel(
        p.key,
        runIds.map((id, k) => line(id, [1, 2], { color: k, runIds: [id] })),
        { title: p.title, yLabel: p.title, sampling: { stored: 2, drawn: 2 }, xRange: spec.range ?? null },
      ),
    ),
    { title: info.title },
  );
}

async function setup(path: string) {
  const builds: ApiParams<'figures.build'>[] = [];
  const client = fakeClient({
    'figures.templates': () => TEMPLATES,
    'figures.build': (p) => {
      builds.push(p);
      return templateFigure(p.spec as TemplateSpec);
    },
    'runs.get': ({ runId }) => {
      const row = runRow(0, { id: runId, name: `fig4-cpu/${runId}` });
      return { run: { id: runId } as never, row, series: [], probes: [], slices: [], checkpoints: [] };
    },
    'runs.list': () => ({
      total: 2,
      rows: [runRow(1, { id: 'b7', name: 'fig4-cpu/bn' }), runRow(2, { id: 'b8' })],
    }),
  });
  setClient(client);
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/figures', component: FiguresView },
      { path: '/figures/:template', component: FiguresView, props: true },
      { path: '/new/form', component: { render: () => null } },
      { path: '/runs/:id', component: { render: () => null } },
    ],
  });
  await router.push(path);
  const wrapper = mount(defineComponent({ render: () => h(RouterView) }), {
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  });
  await settle();
  return { client, builds, router, wrapper };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flushPromises();
    await vi.advanceTimersByTimeAsync(0);
  }
}

const lastSpec = (builds: ApiParams<'figures.build'>[]): TemplateSpec => builds.at(-1)?.spec as TemplateSpec;

beforeEach(() => {
  vi.useFakeTimers();
  charts.length = 0;
});
afterEach(() => {
  document.body.innerHTML = '';
  setClient(null);
  vi.useRealTimers();
});

describe('the figures view', () => {
  it('lists a card per template with how many slots stored runs fill', async () => {
    const { wrapper, router } = await setup('/figures');
    const fig4 = wrapper.get('[data-testid="figure-card-fig4"]');
    expect(fig4.text()).toContain('Figure 4');
    expect(fig4.text()).toContain('1/2 slots filled');
    expect(wrapper.get('[data-testid="figure-card-fig3a"]').text()).toContain('1/1 slots filled');
    await fig4.trigger('click');
    await settle();
    expect(router.currentRoute.value.path).toBe('/figures/fig4');
  });

  it('draws a template with its default slots and names their runs', async () => {
    const { wrapper, builds } = await setup('/figures/fig4');
    expect(lastSpec(builds)).toEqual({
      kind: 'template',
      template: 'fig4',
      slots: {},
      paper: true,
      smoothing: 0,
      band: 'minmax',
    });
    const chart = wrapper.get('[data-testid="compare-chart"]');
    expect(chart.attributes('data-panels')).toBe('3');
    expect(chart.attributes('data-lines')).toBe('6');
    expect(wrapper.get('[data-testid="figure-slot-plain"]').text()).toContain('fig4-cpu/p1');
  });

  it('says which preset stores the runs of an empty slot, and opens it', async () => {
    const { wrapper, router } = await setup('/figures/fig4');
    const preset = findTemplate('fig4')?.sources.find((s) => s.endsWith('-cpu'));
    expect(preset).toBe('fig4-cpu');
    const slot = wrapper.get('[data-testid="figure-slot-bn"]');
    expect(slot.text()).toContain('No runs stored for this slot');
    await slot.get('[data-testid="figure-run-bn"]').trigger('click');
    await settle();
    expect(router.currentRoute.value.fullPath).toBe('/new/form?figure=fig4-cpu');
  });

  it('fills a slot with runs picked from a search, and goes back to the default', async () => {
    const { wrapper, builds, router } = await setup('/figures/fig4');
    await wrapper.get('[data-testid="figure-slot-pick-bn"]').trigger('click');
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    await wrapper.get('[data-testid="figure-slot-bn"] [data-run-id="b7"] input').setValue(true);
    await settle();
    expect(router.currentRoute.value.query['slot.bn']).toBe('b7');
    expect(lastSpec(builds).slots).toEqual({ bn: ['b7'] });
    await wrapper.get('[data-testid="figure-slot-bn"]').findAll('button').at(-1)?.trigger('click');
    await settle();
    expect(lastSpec(builds).slots).toEqual({});
  });

  it("turns the paper's curves off and zooms", async () => {
    const { wrapper, builds } = await setup('/figures/fig4');
    await wrapper.get('[data-testid="figure-paper"]').setValue(false);
    await settle();
    expect(lastSpec(builds).paper).toBe(false);
    (window as Window & { __normlabCompare?: { zoom(a: number, b: number): void } }).__normlabCompare?.zoom(
      2,
      8,
    );
    await settle();
    expect(lastSpec(builds).range).toEqual([2, 8]);
    expect(lastSpec(builds).paper).toBe(false);
    await wrapper.get('[data-testid="figure-reset-zoom"]').trigger('click');
    await settle();
    expect(lastSpec(builds)).not.toHaveProperty('range');
  });

  it('says so when the template does not exist', async () => {
    const { wrapper, builds } = await setup('/figures/fig99');
    expect(wrapper.text()).toContain('There is no figure template “fig99”');
    expect(builds).toHaveLength(0);
  });
});
