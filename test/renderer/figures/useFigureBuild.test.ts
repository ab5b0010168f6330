// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import type { ApiParams, NormLabClient } from '../../../src/shared/api';
import type { FigureSpec, PlotFigure } from '../../../src/shared/plots';
import {
  buildWidth,
  useFigureBuild,
  type FigureBuild,
} from '../../../src/renderer/src/components/figures/useFigureBuild';

/** A host whose builds answer when the test says so. */
function slowHost() {
  const waiting: { params: ApiParams<'figures.build'>; answer: (f: PlotFigure) => void }[] = [];
  const client = {
    call: (_method: string, params: ApiParams<'figures.build'>) =>
      new Promise<PlotFigure>((resolve) => waiting.push({ params, answer: resolve })),
    onEvent: () => () => undefined,
  } as unknown as NormLabClient;
  return { client, waiting };
}

const figure = (title: string): PlotFigure => ({ title, columns: 1, panels: [], caption: '' });
const spec = (metric: string): FigureSpec => ({
  kind: 'compare',
  runIds: ['a'],
  panels: [{ metric, xScale: 'linear', yScale: 'linear' }],
  x: 'step',
  groupBy: [],
  band: 'minmax',
  smoothing: 0,
  columns: 1,
});

function host(client: NormLabClient, s: ReturnType<typeof ref<FigureSpec | null>>, width = ref(800)) {
  let build: FigureBuild | null = null;
  const wrapper = mount(
    defineComponent({
      setup() {
        build = useFigureBuild(client, s as never, width);
        return () => h('div');
      },
    }),
  );
  if (!build) throw new Error('not set up');
  return { build: build as FigureBuild, wrapper, width };
}

const wrappers: { unmount(): void }[] = [];
afterEach(() => wrappers.splice(0).forEach((w) => w.unmount()));

describe('building a figure for the view', () => {
  it('rounds widths up to 50 px within the API limits', () => {
    expect(buildWidth(801)).toBe(850);
    expect(buildWidth(800)).toBe(800);
    expect(buildWidth(3)).toBe(50);
    expect(buildWidth(50_000)).toBe(10_000);
  });

  it('drops the answer to a spec that changed meanwhile', async () => {
    const { client, waiting } = slowHost();
    const s = ref<FigureSpec | null>(spec('train/loss'));
    const { build, wrapper } = host(client, s);
    wrappers.push(wrapper);
    s.value = spec('test/accuracy');
    await nextTick();
    expect(waiting).toHaveLength(2);
    waiting[1]?.answer(figure('new'));
    await flushPromises();
    waiting[0]?.answer(figure('old'));
    await flushPromises();
    expect(build.figure.value?.title).toBe('new');
    expect(build.builtFor.value).toBe(JSON.stringify(s.value));
    expect(build.loading.value).toBe(false);
  });

  it('folds live refreshes during a slow build into one build after it', async () => {
    const { client, waiting } = slowHost();
    const s = ref<FigureSpec | null>(spec('train/loss'));
    const { build, wrapper } = host(client, s);
    wrappers.push(wrapper);
    expect(build.loading.value).toBe(true);
    build.refresh();
    build.refresh();
    build.refresh();
    expect(waiting).toHaveLength(1);
    waiting[0]?.answer(figure('first'));
    await flushPromises();
    expect(build.figure.value?.title).toBe('first');
    expect(waiting).toHaveLength(2);
    // A refresh does not dim the chart.
    expect(build.loading.value).toBe(false);
    waiting[1]?.answer(figure('refreshed'));
    await flushPromises();
    expect(build.figure.value?.title).toBe('refreshed');
    expect(waiting).toHaveLength(2);
  });

  it('reads again when the chart gets wider, not for a pixel', async () => {
    const { client, waiting } = slowHost();
    const s = ref<FigureSpec | null>(spec('train/loss'));
    const { wrapper, width } = host(client, s);
    wrappers.push(wrapper);
    width.value = 790;
    await nextTick();
    expect(waiting).toHaveLength(1);
    width.value = 1200;
    await nextTick();
    expect(waiting.map((w) => w.params.width)).toEqual([800, 1200]);
  });

  it("asks for each panel's width: the chart's shared by the figure's columns", async () => {
    const { client, waiting } = slowHost();
    const two: FigureSpec = {
      ...(spec('train/loss') as Extract<FigureSpec, { kind: 'compare' }>),
      panels: [
        { metric: 'train/loss', xScale: 'linear', yScale: 'linear' },
        { metric: 'test/loss', xScale: 'linear', yScale: 'linear' },
      ],
      columns: 2,
    };
    const s = ref<FigureSpec | null>(two);
    const { wrapper } = host(client, s, ref(1200));
    wrappers.push(wrapper);
    await nextTick();
    expect(waiting.map((w) => w.params.width)).toEqual([600]);
    // Fig 4's template lays its three panels in one row.
    s.value = { kind: 'template', template: 'fig4', slots: {}, paper: true, smoothing: 0, band: 'minmax' };
    await nextTick();
    expect(waiting.at(-1)?.params.width).toBe(400);
  });

  it('builds nothing without a spec', async () => {
    const { client, waiting } = slowHost();
    const s = ref<FigureSpec | null>(null);
    const { build, wrapper } = host(client, s);
    wrappers.push(wrapper);
    build.refresh();
    await flushPromises();
    expect(waiting).toHaveLength(0);
    expect(build.figure.value).toBeNull();
  });
});
