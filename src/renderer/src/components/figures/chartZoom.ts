/**
 * The figure chart's zoom interactions on an ECharts instance: reading the inside data zoom's window
 * as an x range, the drag-select (a brush of x ranges that is always armed: drag selects, the wheel
 * zooms), and keeping the legend's choices across a redraw that replaces the whole option.
 */
import type { EChartsOption } from 'echarts';
import type { PlotFigure } from '../../../../shared/plots';
import type { EChartsType } from './figureEcharts';
import { figureXExtent, rangeFromPercent, type XRange, type ZoomWindow } from './zoomRange';

/**
 * The chart's model, as far as it is read here. ECharts' typings mark getModel private, but its data
 * zoom documents this use: chart.getModel().getComponent('dataZoom').getValueRange().
 */
interface ModelAccess {
  getModel(): {
    getComponent(mainType: string, index?: number): { getValueRange?: () => unknown } | undefined;
  };
}

function finitePair(v: unknown): XRange | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const [a, b] = v as [unknown, unknown];
  return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)
    ? [Math.min(a, b), Math.max(a, b)]
    : null;
}

/** The chart's option as it holds it; empty before the first setOption (ECharts answers undefined). */
function optionOf(chart: EChartsType): Record<string, unknown> {
  return (chart.getOption() as Record<string, unknown> | undefined) ?? {};
}

/**
 * The x range the first data zoom shows: its value window as ECharts keeps it (exact, log axes
 * included), else its percent window over the figure's x extent.
 */
export function zoomedRange(chart: EChartsType, figure: PlotFigure): XRange | null {
  try {
    const model = (chart as unknown as ModelAccess).getModel().getComponent('dataZoom', 0);
    const range = finitePair(model?.getValueRange?.());
    if (range) return range;
  } catch {
    // no model (not drawn yet, or a stand-in chart): the option's window below
  }
  const zooms = optionOf(chart)['dataZoom'] as ZoomWindow[] | undefined;
  const w = zooms?.[0];
  if (!w) return null;
  if (typeof w.startValue === 'number' && typeof w.endValue === 'number') {
    return finitePair([w.startValue, w.endValue]);
  }
  const extent = figureXExtent(figure);
  if (!extent) return null;
  const log = figure.panels.some((p) => p.kind === 'lines' && p.xScale === 'log');
  return rangeFromPercent(w.start ?? 0, w.end ?? 100, extent, log);
}

/** The legend's shown/hidden lines, to carry over a redraw (empty when there is no legend). */
export function legendSelection(chart: EChartsType): Record<string, boolean> {
  const legends = optionOf(chart)['legend'] as { selected?: Record<string, boolean> }[] | undefined;
  return { ...(legends?.[0]?.selected ?? {}) };
}

/**
 * plotOption's option with what the window adds: the drag-select brush over every x axis (no series
 * linked, so lines never grey out while selecting) and the legend's earlier choices.
 */
export function withInteraction(option: EChartsOption, selected: Record<string, boolean>): EChartsOption {
  const out: EChartsOption = {
    ...option,
    brush: {
      xAxisIndex: 'all',
      brushType: 'lineX',
      brushMode: 'single',
      seriesIndex: [],
      toolbox: [],
      transformable: false,
      removeOnClick: true,
      throttleType: 'debounce',
      throttleDelay: 0,
    },
    // ECharts gives every brush toolbox buttons (rect, polygon, keep, clear); the drag is always
    // armed instead, so the toolbox stays hidden.
    toolbox: { show: false },
  };
  const legend = option.legend;
  if (legend && Object.keys(selected).length > 0) {
    const keep = (l: object): object => ({ ...l, selected: { ...selected } });
    out.legend = Array.isArray(legend) ? legend.map(keep) : keep(legend);
  }
  return out;
}

/** Arms the drag-select: dragging in a panel selects an x range (call after every full redraw). */
export function armDragSelect(chart: EChartsType): void {
  chart.dispatchAction({
    type: 'takeGlobalCursor',
    key: 'brush',
    brushOption: { brushType: 'lineX', brushMode: 'single' },
  });
}

/** Removes the selection drawn by a finished drag-select. */
export function clearDragSelect(chart: EChartsType): void {
  chart.dispatchAction({ type: 'brush', areas: [] });
}
