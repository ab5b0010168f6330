import { describe, expect, it } from 'vitest';
import type { EChartsOption } from 'echarts';
import type { PlotFigure } from '../../../src/shared/plots';
import {
  legendSelection,
  withInteraction,
  zoomedRange,
} from '../../../src/renderer/src/components/figures/chartZoom';
import type { EChartsType } from '../../../src/renderer/src/components/figures/figureEcharts';

const figure = (xs: number[], xScale: 'linear' | 'log' = 'linear'): PlotFigure => ({
  title: '',
  columns: 1,
  caption: '',
  panels: [
    {
      key: 'p',
      title: 'loss',
      kind: 'lines',
      xKind: 'step',
      xLabel: 'step',
      yLabel: 'loss',
      xScale,
      yScale: 'linear',
      palette: 'categorical',
      lines: [{ key: 'a', label: 'a', role: 'line', color: 0, runIds: ['a'], steps: xs, x: xs, y: xs }],
      ridges: [],
      notes: [],
      sampling: null,
      xRange: null,
    },
  ],
});

function chart(option: Record<string, unknown>, valueRange?: [number, number]): EChartsType {
  return {
    getOption: () => option,
    getModel: () => ({
      getComponent: () => (valueRange ? { getValueRange: () => valueRange } : undefined),
    }),
  } as unknown as EChartsType;
}

describe('the zoomed range of a chart', () => {
  it("is the data zoom's value window when ECharts has one", () => {
    expect(zoomedRange(chart({ dataZoom: [{ start: 0, end: 100 }] }, [250, 125]), figure([0, 1000]))).toEqual(
      [125, 250],
    );
  });

  it("else its percent window over the figure's x extent", () => {
    const f = figure([100, 300, 1100]);
    expect(zoomedRange(chart({ dataZoom: [{ start: 10, end: 60 }] }), f)).toEqual([200, 700]);
    expect(zoomedRange(chart({ dataZoom: [{ startValue: 7, endValue: 3 }] }), f)).toEqual([3, 7]);
    expect(zoomedRange(chart({}), f)).toBeNull();
  });

  it('in decades on a log x axis', () => {
    const [from, to] =
      zoomedRange(chart({ dataZoom: [{ start: 50, end: 100 }] }), figure([1, 10_000], 'log')) ?? [];
    expect(from).toBeCloseTo(100, 9);
    expect(to).toBeCloseTo(10_000, 9);
  });
});

describe('the interactions added to plotOption', () => {
  it('arm a drag-select of x ranges over every panel without linking series', () => {
    const out = withInteraction({ series: [] }, {}) as EChartsOption & { brush: Record<string, unknown> };
    expect(out.brush).toMatchObject({ xAxisIndex: 'all', brushType: 'lineX', seriesIndex: [], toolbox: [] });
    expect(out.toolbox).toEqual({ show: false });
  });

  it('read nothing from a chart that has no option yet (ECharts answers undefined)', () => {
    const fresh = { getOption: () => undefined, getModel: () => undefined } as unknown as EChartsType;
    expect(legendSelection(fresh)).toEqual({});
    expect(zoomedRange(fresh, figure([0, 10]))).toBeNull();
  });

  it("carry the legend's hidden lines over a redraw", () => {
    const c = chart({ legend: [{ selected: { 'run a': false, 'run b': true } }] });
    const out = withInteraction({ legend: { data: ['run a', 'run b'] } }, legendSelection(c));
    expect(out.legend).toEqual({ data: ['run a', 'run b'], selected: { 'run a': false, 'run b': true } });
    // No legend in the option: none is added.
    expect(withInteraction({}, { x: false }).legend).toBeUndefined();
  });
});
