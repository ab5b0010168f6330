// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, provide, ref, shallowRef } from 'vue';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { NormLabClient } from '../../../src/shared/api';
import { bucketize } from '../../../src/renderer/src/charts/bucketize';
import { FlushScheduler, type FrameClock } from '../../../src/renderer/src/charts/flushScheduler';
import { named, perLayer } from '../../../src/renderer/src/charts/seriesCatalog';
import {
  LIVE_RUN,
  MetricHub,
  RecordHub,
  type LiveRunContext,
} from '../../../src/renderer/src/components/live/liveRunContext';
import LiveChart from '../../../src/renderer/src/components/live/LiveChart.vue';
import { charts, createFakeChart } from './fakeChart';

vi.mock('../../../src/renderer/src/charts/echartsSetup', () => ({ createChart: () => createFakeChart() }));
vi.mock('../../../src/renderer/src/stores/settings', () => ({
  useSettingsStore: () => ({ settings: { theme: 'light' } }),
}));

const ramp = (n: number, name = 'train/loss') => ({
  name,
  ...(() => {
    const points = Array.from({ length: n }, (_, i) => ({ step: i + 1, value: 1 / (i + 1) }));
    return { points: n, buckets: bucketize(points, 50) };
  })(),
});

const immediateClock: FrameClock = {
  now: () => 0,
  setTimeout: (fn) => {
    fn();
    return 0;
  },
  clearTimeout: () => undefined,
  requestFrame: (fn) => {
    fn();
    return 0;
  },
  cancelFrame: () => undefined,
};

function setup(options: {
  names: string[];
  props: InstanceType<typeof LiveChart>['$props'];
  read?: (params: unknown) => unknown;
}) {
  const calls: { method: string; params: unknown }[] = [];
  const client: NormLabClient = {
    call: (async (method: string, params: { names: string[] }) => {
      calls.push({ method, params });
      if (method === 'series.read')
        return options.read?.(params) ?? { series: params.names.map((n) => ramp(120, n)) };
      return { ok: true };
    }) as NormLabClient['call'],
    onEvent: () => () => undefined,
  };
  const ctx: LiveRunContext = {
    client,
    runId: ref('r1'),
    names: shallowRef(options.names),
    generation: ref(0),
    divergedAt: ref<number | null>(null),
    metrics: new MetricHub(),
    records: new RecordHub(),
    scheduler: new FlushScheduler({ clock: immediateClock }),
    bench: null,
  };
  const Host = defineComponent({
    setup() {
      provide(LIVE_RUN, ctx);
      return () => h(LiveChart, options.props);
    },
  });
  const wrapper = mount(Host, { attachTo: document.body });
  return { wrapper, ctx, calls };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await vi.advanceTimersByTimeAsync(50);
    await nextTick();
  }
}

describe('LiveChart', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    charts.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('reads its series at its width, draws them and says N of M when downsampled', async () => {
    const { wrapper, calls } = setup({
      names: ['train/loss', 'train/accuracy'],
      props: {
        title: 'Train loss',
        lines: named({ 'train/loss': 'train loss' }),
        testid: 'chart-train-loss',
      },
    });
    await settle();
    const read = calls.find((c) => c.method === 'series.read');
    expect(read?.params).toMatchObject({ runId: 'r1', names: ['train/loss'] });
    const el = wrapper.get('[data-testid="chart-train-loss"]');
    const drawn = Number(el.attributes('data-points'));
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(120);
    expect(el.attributes('data-total')).toBe('120');
    expect(el.text()).toContain(`of 120 points`);
    const line = charts[0]?.series.get('train/loss:line') as { data: [number, number][] };
    expect(line.data.at(-1)).toEqual([120, 1 / 120]);
    // No ECharts sampling or large mode: extremes stay.
    expect(JSON.stringify(charts[0]?.options)).not.toMatch(/sampling|"large"/);
  });

  it('appends live points and redraws only the series that changed', async () => {
    const { wrapper, ctx } = setup({
      names: ['probe/ics/layer1/l2', 'probe/ics/layer2/l2'],
      props: { title: 'ICS', lines: perLayer(['ics'], 'l2'), testid: 'chart-ics' },
    });
    await settle();
    const chart = charts[0];
    const before = chart?.options.length ?? 0;
    ctx.metrics.publish([{ series: 'probe/ics/layer2/l2', step: 121, value: 0.5 }]);
    await settle();
    const last = chart?.options.at(-1) as { series: { id: string }[] };
    expect(chart?.options.length).toBe(before + 1);
    expect(last.series.map((s) => s.id)).toEqual(['probe/ics/layer2/l2:line', 'probe/ics/layer2/l2:band']);
    expect(wrapper.get('[data-testid="chart-ics"]').attributes('data-total')).toBe('241');
  });

  it('picks up a series that appears live, starting it empty when the run had none', async () => {
    const { ctx, calls } = setup({
      names: [],
      props: { title: 'ICS', lines: perLayer(['ics'], 'cos'), testid: 'chart-ics-cos' },
    });
    await settle();
    ctx.names.value = ['probe/ics/layer3/cos'];
    await settle();
    expect(calls.filter((c) => c.method === 'series.read').at(-1)?.params).toMatchObject({
      names: ['probe/ics/layer3/cos'],
    });
  });

  it('hides values <= 0 on a log axis and says how many', async () => {
    const { wrapper } = setup({
      names: ['probe/ics/layer1/l2'],
      props: { title: 'ICS', lines: perLayer(['ics'], 'l2'), testid: 'chart-ics', logY: true },
      read: () => ({
        series: [
          {
            name: 'probe/ics/layer1/l2',
            points: 3,
            buckets: bucketize(
              [
                { step: 1, value: 0 },
                { step: 2, value: 0 },
                { step: 3, value: 1 },
              ],
              10,
            ),
          },
        ],
      }),
    });
    await settle();
    expect(wrapper.text()).toContain('2 ≤ 0 hidden');
    const line = charts[0]?.series.get('probe/ics/layer1/l2:line') as { data: unknown[] };
    expect(line.data).toEqual([
      [1, null],
      [2, null],
      [3, 1],
    ]);
    const yAxis = (charts[0]?.options.at(-1) as { yAxis: { type: string } }).yAxis;
    expect(yAxis.type).toBe('log');
  });

  it('re-reads the zoomed step range at its resolution', async () => {
    const { calls } = setup({
      names: ['train/loss'],
      props: {
        title: 'Train loss',
        lines: named({ 'train/loss': 'train loss' }),
        testid: 'chart-train-loss',
      },
    });
    await settle();
    const chart = charts[0];
    if (!chart) throw new Error('no chart');
    chart.zoom = { start: 20, end: 40, startValue: 25.2, endValue: 48.7 };
    chart.handlers.get('datazoom')?.();
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    expect(calls.filter((c) => c.method === 'series.read').at(-1)?.params).toMatchObject({
      names: ['train/loss'],
      fromStep: 25,
      toStep: 49,
    });
  });
});
