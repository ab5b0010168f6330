/**
 * ECharts options of a live chart, built from a ChartDrawing. Series carry stable ids (`<name>:line`,
 * `<name>:band`, `<range id>:band`) so an update replaces only the series that changed. Nothing is
 * sampled by ECharts (no `sampling`, no large mode: they would hide extremes); envelopes are custom
 * series of quads between neighbouring buckets; no animation.
 */
import { escapeHtml } from '../../../shared/html';
import type { ComposeOption } from 'echarts/core';
import type { CustomSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { CustomSeriesRenderItem } from 'echarts';
import { formatMetric } from '../format/numbers';
import { formatInt } from './formatInt';
import type { BandSegment, BandVertex } from './bucketSeries';
import type { ChartDrawing } from './chartModel';
import { withAlpha, type ChartTheme } from './chartTheme';
import { formatTick } from '../../../shared/plotTicks';

export type LiveSeriesOption = LineSeriesOption | CustomSeriesOption;
export type LiveChartOption = ComposeOption<
  | LineSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
>;

export interface AxisSettings {
  logX?: boolean;
  logY?: boolean;
  /** The x axis' name when it is not the training step. */
  xName?: string;
  /** Fixed y bounds (accuracy in [0, 1], cosine in [-1, 1]); ignored on a log axis. */
  yMin?: number;
  yMax?: number;
  /** A marker at the step the run diverged. */
  divergedAt?: number | null;
  /** Show the legend (charts with more than one series). */
  legend?: boolean;
}

/** Lines with at most this many points show their points (a test-accuracy curve of 15 evaluations). */
const SYMBOL_LIMIT = 60;

export function baseOption(theme: ChartTheme, settings: AxisSettings): LiveChartOption {
  const axisCommon = {
    axisLine: { lineStyle: { color: theme.axis } },
    axisTick: { lineStyle: { color: theme.axis } },
    axisLabel: { color: theme.axis, fontFamily: theme.font, fontSize: 11, hideOverlap: true },
    splitLine: { lineStyle: { color: theme.grid } },
    nameTextStyle: { color: theme.axis, fontFamily: theme.font, fontSize: 11 },
  };
  const logY = settings.logY ?? false;
  return {
    animation: false,
    textStyle: { fontFamily: theme.font, color: theme.fg },
    grid: {
      left: 8,
      right: 14,
      top: settings.legend ? 30 : 12,
      bottom: 8,
      outerBoundsMode: 'same',
      containLabel: true,
    },
    legend: settings.legend
      ? {
          show: true,
          type: 'scroll',
          top: 0,
          left: 0,
          itemWidth: 14,
          itemHeight: 8,
          textStyle: { color: theme.muted, fontSize: 11, fontFamily: theme.font },
          pageTextStyle: { color: theme.muted },
        }
      : { show: false },
    xAxis: {
      type: settings.logX ? 'log' : 'value',
      // Steps go without saying; another x quantity is named.
      name: settings.xName ?? '',
      // From step 0: a curve shows where in the run it is, and a lone point (the first test
      // evaluation) is not stretched over a made-up range.
      min: settings.logX ? 'dataMin' : 0,
      max: 'dataMax',
      ...axisCommon,
      // At the bottom of the grid, not at y = 0 (a mean or a cosine crosses zero).
      axisLine: { ...axisCommon.axisLine, onZero: false },
      splitLine: { show: false },
      axisLabel: { ...axisCommon.axisLabel, formatter: (v: number) => formatAxis(v) },
    },
    yAxis: {
      type: logY ? 'log' : 'value',
      scale: true,
      ...(logY ? {} : { min: settings.yMin, max: settings.yMax }),
      ...axisCommon,
      axisLabel: { ...axisCommon.axisLabel, formatter: (v: number) => formatAxis(v) },
    },
    tooltip: {
      trigger: 'axis',
      // In the chart's own element: ECharts then skips a getComputedStyle (a forced style recalculation)
      // on every update.
      appendTo: (dom: HTMLElement) => dom,
      axisPointer: { type: 'line', lineStyle: { color: theme.axis } },
      backgroundColor: theme.panel,
      borderColor: theme.grid,
      textStyle: { color: theme.fg, fontSize: 12, fontFamily: theme.font },
      formatter: (params: unknown) => axisTooltip(params, settings.xName || 'step'),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter', throttle: 100 }],
    series: [],
  };
}

interface TooltipParam {
  seriesType?: string;
  seriesName?: string;
  marker?: string;
  value?: unknown;
}

/** The axis tooltip: "step 1,509" then each line's value (envelopes left out). */
export function axisTooltip(params: unknown, xName: string): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const lines = list.filter((p) => p.seriesType === 'line' && Array.isArray(p.value));
  const x = (lines[0]?.value as number[] | undefined)?.[0];
  const xText = x === undefined ? '' : Number.isInteger(x) ? formatInt(x) : formatMetric(x);
  const head = x === undefined ? '' : `${escapeHtml(xName)} ${xText}`;
  const rows = lines.map((p) => {
    const v = (p.value as (number | null)[])[1];
    return `${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')} <b>${typeof v === 'number' ? formatMetric(v) : '—'}</b>`;
  });
  return [head, ...rows].join('<br/>');
}

/**
 * The axis style of the probe charts (ridges, eta curves): theme colours, compact tick labels, the
 * axis line off zero. Spread into an xAxis / yAxis.
 */
export function probeAxisStyle(theme: ChartTheme) {
  return {
    axisLine: { onZero: false, lineStyle: { color: theme.axis } },
    axisTick: { lineStyle: { color: theme.axis } },
    axisLabel: { color: theme.axis, fontSize: 11, formatter: (v: number) => formatAxis(v) },
    splitLine: { lineStyle: { color: theme.grid } },
    nameTextStyle: { color: theme.axis, fontSize: 11 },
  };
}

/** Axis tick labels: the figures' own (shared/plotTicks.ts), so live charts and figures read alike. */
export const formatAxis = formatTick;

/** Vertices per polygon of an envelope: few elements to draw, and a zoomed y axis still fits. */
export const BAND_CHUNK = 32;

/**
 * An envelope's segments cut into chunks of at most BAND_CHUNK vertices, consecutive chunks sharing
 * their boundary vertex. Each chunk becomes one data item [x first, lowest lo, highest hi, x last]
 * (for the axes' extents and the zoom's filter) and one polygon.
 */
export function bandChunks(segments: readonly BandSegment[]): BandVertex[][] {
  const out: BandVertex[][] = [];
  for (const seg of segments) {
    if (seg.length <= BAND_CHUNK) {
      out.push(seg);
      continue;
    }
    for (let i = 0; i < seg.length - 1; i += BAND_CHUNK - 1) out.push(seg.slice(i, i + BAND_CHUNK));
  }
  return out;
}

/** The envelope as a custom series: one polygon per chunk (upper edge forward, lower edge back). */
export function bandSeries(
  id: string,
  name: string,
  segments: readonly BandSegment[],
  fill: string,
  /** The legend's swatch (the band's colour, opaque enough to see). */
  swatch: string = fill,
): CustomSeriesOption {
  const chunks = bandChunks(segments);
  const renderItem: CustomSeriesRenderItem = (params, api) => {
    const chunk = chunks[params.dataIndex];
    if (!chunk || chunk.length === 0) return null;
    if (chunk.length === 1) {
      const [x, lo, hi] = chunk[0] as BandVertex;
      const a = api.coord([x, hi]);
      const b = api.coord([x, lo]);
      return {
        type: 'line',
        shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] },
        style: { stroke: fill, lineWidth: 2 },
        silent: true,
      };
    }
    const points: number[][] = [];
    for (const [x, , hi] of chunk) points.push(api.coord([x, hi]));
    for (let k = chunk.length - 1; k >= 0; k--) {
      const [x, lo] = chunk[k] as BandVertex;
      points.push(api.coord([x, lo]));
    }
    return { type: 'polygon', shape: { points }, style: { fill }, silent: true };
  };
  return {
    id,
    name,
    type: 'custom',
    renderItem,
    data: chunks.map((c) => {
      const first = c[0] as BandVertex;
      const last = c[c.length - 1] as BandVertex;
      return [first[0], Math.min(...c.map((v) => v[1])), Math.max(...c.map((v) => v[2])), last[0]];
    }),
    encode: { x: [0, 3], y: [1, 2] },
    itemStyle: { color: swatch },
    silent: true,
    clip: true,
    z: 1,
    tooltip: { show: false },
    animation: false,
  };
}

export interface LineStyle {
  color: string;
  width?: number;
  dashed?: boolean;
}

export function lineSeries(
  id: string,
  name: string,
  data: readonly [number, number | null][],
  style: LineStyle,
  divergedAt?: number | null,
  divergedColor?: string,
): LineSeriesOption {
  const points = data.filter((d) => d[1] !== null).length;
  return {
    id,
    name,
    type: 'line',
    data: data as unknown as [number, number][],
    showSymbol: points <= SYMBOL_LIMIT,
    symbolSize: 4,
    connectNulls: false,
    color: style.color,
    lineStyle: { color: style.color, width: style.width ?? 1.5, type: style.dashed ? 'dashed' : 'solid' },
    animation: false,
    z: 2,
    ...(divergedAt !== undefined && divergedAt !== null
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            animation: false,
            lineStyle: { color: divergedColor ?? style.color, type: 'dashed', width: 1.5 },
            label: {
              formatter: `diverged at ${divergedAt}`,
              color: divergedColor ?? style.color,
              position: 'insideEndTop',
            },
            data: [{ xAxis: divergedAt }],
          },
        }
      : {}),
  };
}

export interface SeriesColors {
  /** Per line name, its colour. */
  lineColor(name: string, index: number): string;
  rangeColor(id: string, index: number): string;
}

export function defaultColors(theme: ChartTheme): SeriesColors {
  const at = (i: number): string => theme.series[i % theme.series.length] as string;
  return { lineColor: (_n, i) => at(i), rangeColor: (_id, i) => at(i) };
}

/**
 * Every series of the drawing (envelopes drawn under lines by z). `only` limits the result
 * to those lines and ranges (the ones that changed since the last update).
 */
export function drawingSeries(
  drawing: ChartDrawing,
  theme: ChartTheme,
  settings: AxisSettings,
  colors: SeriesColors = defaultColors(theme),
  only?: ReadonlySet<string>,
): LiveSeriesOption[] {
  const out: LiveSeriesOption[] = [];
  drawing.ranges.forEach((r, i) => {
    if (only && !only.has(r.spec.id)) return;
    out.push(
      bandSeries(
        `${r.spec.id}:band`,
        r.spec.label,
        r.band,
        withAlpha(colors.rangeColor(r.spec.id, i), 0.28),
        withAlpha(colors.rangeColor(r.spec.id, i), 0.6),
      ),
    );
  });
  let marked = false;
  drawing.lines.forEach((l, i) => {
    const color = colors.lineColor(l.ref.name, i);
    const mark = !marked ? (settings.divergedAt ?? null) : null;
    marked = true;
    if (only && !only.has(l.ref.name)) return;
    // The line first: the legend takes its colour from the first series of a name (the envelope
    // shares the name, so one legend entry shows and hides both); z draws the envelope below.
    out.push(lineSeries(`${l.ref.name}:line`, l.ref.label, l.drawing.line, { color }, mark, theme.danger));
    out.push(bandSeries(`${l.ref.name}:band`, l.ref.label, l.drawing.band, withAlpha(color, 0.22)));
  });
  return out;
}
