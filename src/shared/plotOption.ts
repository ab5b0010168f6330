/**
 * A PlotFigure (plots.ts) as one ECharts option: the window draws it on a canvas and the main process
 * renders it with ECharts' server-side SVG renderer for the SVG, PNG and PDF exports, so both show the
 * same thing; only the look (PlotLook: screen theme or print) and the size differ.
 *
 * One grid per panel, laid out in the figure's columns (plotLayout.ts), its title above it; axes
 * named by the panel, true log axes (values <= 0 left out and said, plotScales.ts); lines, faint raw
 * lines, dashed paper overlays, bands, end markers and ridges (plotSeries.ts); one legend over the
 * figure with each label once (lines of one palette slot share their colour across panels). Options:
 * `zoom` adds the window's linked zoom, cursor and tooltip; `title` the figure's title; `caption` the
 * caption, notes and sampling under the figure (exports state smoothing that way).
 *
 * Pure and deterministic: no DOM, no ECharts runtime (types only), the same option for the same input.
 */
import type {
  DataZoomComponentOption,
  EChartsOption,
  GridComponentOption,
  TitleComponentOption,
  XAXisComponentOption,
  YAXisComponentOption,
} from 'echarts';
import type { PlotFigure, PlotLine, PlotPanel } from './plots';
import { captionParagraphs } from './plotCaption';
import {
  figureLayout,
  figureTitleSize,
  legendMetrics,
  textWidthPx,
  naturalHeight,
  type Box,
  type LayoutInput,
} from './plotLayout';
import { screenLook, type PlotLook } from './plotLook';
import { RIDGE_HEIGHT, ridgeGeometry, type Ridge } from './plotRidges';
import { withScales } from './plotScales';
import {
  bandSeries,
  endSeries,
  legendName,
  lineColor,
  lineSeries,
  ridgeSeries,
  type PlotSeries,
} from './plotSeries';
import { formatTick } from './plotTicks';
import { axisTooltip } from './plotTooltip';

export interface PlotOptions {
  /** The window's linked zoom (inside, over step/epoch/time x axes), linked cursor and axis tooltip. */
  zoom?: boolean;
  /** The figure's title on top. */
  title?: boolean;
  /** The caption, then the panels' notes and sampling, under the figure. */
  caption?: boolean;
}

export interface PlotSize {
  width: number;
  height: number;
}

/** x kinds whose panels zoom together (per kind) and get a linked cursor. */
const ZOOM_KINDS: readonly PlotPanel['xKind'][] = ['step', 'epoch', 'time'];

function finite(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}

/** Ridge ids are per panel; everything else per panel and line key. */
function seriesId(panel: number, key: string, part: string): string {
  return `${panel}/${key}:${part}`;
}

/** A sequential panel's first and last curve (by shade), for the line under its title; else null. */
function rampEnds(panel: PlotPanel): [string, string] | null {
  if (panel.kind !== 'lines' || panel.palette !== 'sequential') return null;
  const n = panel.lines.length;
  const lines = panel.lines
    .map((line, index) => ({ line, shade: line.shade ?? (n > 1 ? index / (n - 1) : 1) }))
    .filter((l) => l.line.role !== 'raw')
    .sort((a, b) => a.shade - b.shade);
  const first = lines[0];
  const last = lines[lines.length - 1];
  return first === undefined || last === undefined ? null : [first.line.label, last.line.label];
}

/** What a line draws: a line (some finite point), only its band, or nothing. */
function draws(line: PlotLine): 'line' | 'band' | null {
  const n = Math.min(line.x.length, line.y.length);
  for (let i = 0; i < n; i++) if (finite(line.x[i]) && finite(line.y[i])) return 'line';
  const band = line.band;
  if (!band) return null;
  const m = Math.min(line.x.length, band.lo.length, band.hi.length);
  for (let i = 0; i < m; i++)
    if (finite(line.x[i]) && finite(band.lo[i]) && finite(band.hi[i])) return 'band';
  return null;
}

/**
 * Legend swatches as path icons (ECharts fits a path's bounds, the leading moves included, to the
 * item's box): a stroke, a dashed stroke for paper curves, a block for a band drawn without its line.
 * ECharts' own icon for a line series always adds a dot, and hides the dashes.
 */
const ICON = {
  solid: 'path://M0,0M30,10M0,4.2h30v1.6h-30z',
  dashed: 'path://M0,0M30,10M0,4.2h8v1.6h-8zM11,4.2h8v1.6h-8zM22,4.2h8v1.6h-8z',
  band: 'path://M0,0M30,10M0,1h30v8h-30z',
} as const;

interface LegendEntry {
  name: string;
  icon: string;
}

/**
 * The legend: each name of a drawn line or paper curve of a categorical panel, once, in order of
 * appearance (a sequential panel names its ramp's ends under its title instead).
 */
function figureLegend(figure: PlotFigure): LegendEntry[] {
  const entries = new Map<string, LegendEntry>();
  for (const panel of figure.panels) {
    if (panel.kind !== 'lines' || panel.palette !== 'categorical') continue;
    for (const line of panel.lines) {
      const drawn = line.role === 'raw' ? null : draws(line);
      if (drawn === null) continue;
      const name = legendName(line);
      const icon = drawn === 'band' ? ICON.band : line.role === 'paper' ? ICON.dashed : ICON.solid;
      const known = entries.get(name);
      // A label drawn as a band in one panel and as a line in another shows the line.
      if (known === undefined || (known.icon === ICON.band && icon !== ICON.band))
        entries.set(name, { name, icon });
    }
  }
  return [...entries.values()];
}

interface PanelSeries {
  series: PlotSeries[];
  ridges: Ridge[] | null;
}

function xExtent(panel: PlotPanel): [number, number] | null {
  if (panel.xRange && finite(panel.xRange[0]) && finite(panel.xRange[1])) return panel.xRange;
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of panel.lines) {
    for (const x of line.x) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

function panelSeries(panel: PlotPanel, index: number, look: PlotLook): PanelSeries {
  if (panel.kind === 'ridge') {
    const ridges = ridgeGeometry(panel.ridges);
    return { series: [ridgeSeries(ridges, seriesId(index, panel.key, 'ridges'), index, look)], ridges };
  }
  const lines: PlotSeries[] = [];
  const raws: PlotSeries[] = [];
  const bands: PlotSeries[] = [];
  const ends: PlotSeries[] = [];
  const extent = xExtent(panel);
  panel.lines.forEach((line, i) => {
    const color = lineColor(panel, line, i, look);
    const target = (part: string) => ({ id: seriesId(index, line.key, part), axis: index, color });
    const drawn = lineSeries(line, target(line.role), look);
    if (drawn) (line.role === 'raw' ? raws : lines).push(drawn);
    const band = bandSeries(line, target('band'), look);
    if (band) bands.push(band);
    const rightHalf = extent !== null && line.end !== undefined && line.end.x > (extent[0] + extent[1]) / 2;
    const end = endSeries(line, target('end'), look, rightHalf);
    if (end) ends.push(end);
  });
  // Lines first: the legend takes an entry's swatch from the first series of its name.
  return { series: [...lines, ...raws, ...bands, ...ends], ridges: null };
}

function layoutInput(
  figure: PlotFigure,
  legend: readonly LegendEntry[],
  options: PlotOptions,
  caption: string[],
): LayoutInput {
  return {
    panels: figure.panels.length,
    columns: figure.columns,
    title: (options.title ?? false) && figure.title.trim() !== '',
    legend: legend.map((e) => e.name),
    legendScroll: options.zoom ?? false,
    subtitles: figure.panels.map((p) => rampEnds(p) !== null),
    caption,
  };
}

function axisStyle(look: PlotLook) {
  const line = { color: look.axis, width: look.axisWidth };
  return {
    nameLocation: 'middle' as const,
    nameGap: Math.round(look.fontSize.tick * 0.5),
    nameMoveOverlap: true,
    nameTextStyle: { color: look.text, fontFamily: look.fontFamily, fontSize: look.fontSize.axisName },
    axisLine: { onZero: false, lineStyle: line },
    axisTick: { lineStyle: line },
    axisLabel: {
      color: look.axis,
      fontFamily: look.fontFamily,
      fontSize: look.fontSize.tick,
      hideOverlap: true,
      formatter: (v: number) => formatTick(v),
    },
    splitLine: { show: false, lineStyle: { color: look.splitLine, width: look.axisWidth * 0.8 } },
  };
}

function xAxisOf(panel: PlotPanel, index: number, look: PlotLook): XAXisComponentOption {
  const log = panel.xScale === 'log';
  const style = axisStyle(look);
  const range = panel.xRange;
  // A log axis starts above 0: a zoom reaching 0 or below keeps its upper end only.
  const min = range && finite(range[0]) && (!log || range[0] > 0) ? range[0] : undefined;
  const max = range && finite(range[1]) && (!log || range[1] > 0) ? range[1] : undefined;
  // Steps, epochs and time fill the axis end to end; other quantities get ECharts' nice bounds.
  const fill = ZOOM_KINDS.includes(panel.xKind) && panel.kind === 'lines';
  return {
    ...style,
    // Below the tick labels (their 8 px margin and one line of text): ECharts' overlap avoidance
    // measures text differently on a canvas, where the window showed "step" across the "100".
    nameGap: Math.round(8 + look.fontSize.tick * 1.3),
    type: log ? 'log' : 'value',
    gridIndex: index,
    name: panel.xLabel,
    scale: true,
    min: min ?? (fill ? (log ? 'dataMin' : (e: Extent) => niceBound(e, Math.floor)) : undefined),
    max: max ?? (fill ? (log ? 'dataMax' : (e: Extent) => niceBound(e, Math.ceil)) : undefined),
  };
}

interface Extent {
  min: number;
  max: number;
}

/**
 * An end of a step/epoch/time axis that fills the data: its extent rounded out to half a power of ten
 * of its span (data at steps 40..200 -> 0..200, 5000..7000 -> 5000..7000), so the first tick is a round
 * number instead of the first point's x (ECharts puts its ticks at multiples of the interval and
 * labels the ends too, which gave "40, 60, 90" or "0.068, 30, 60").
 */
function niceBound(e: Extent, round: (x: number) => number): number {
  const span = e.max - e.min;
  if (!(span > 0) || !Number.isFinite(span)) return round === Math.floor ? e.min : e.max;
  const unit = 10 ** Math.floor(Math.log10(span)) / 2;
  return round((round === Math.floor ? e.min : e.max) / unit) * unit;
}

function yAxisOf(
  panel: PlotPanel,
  index: number,
  look: PlotLook,
  ridges: Ridge[] | null,
  box: Box,
): YAXisComponentOption {
  const style = axisStyle(look);
  const splitLine = { ...style.splitLine, show: true };
  if (ridges !== null) {
    const n = ridges.length;
    // One label per row while they fit, else every k-th row counted from the latest (the bottom).
    const fit = Math.max(1, Math.floor(box.height / (look.fontSize.tick * 1.6)));
    const every = Math.max(1, Math.ceil(n / fit));
    const steps = ridges.map((r) => r.step);
    return {
      ...style,
      type: 'value',
      gridIndex: index,
      name: panel.yLabel,
      min: 0,
      max: Math.max(1, n - 1 + RIDGE_HEIGHT),
      interval: every,
      splitLine: { show: false },
      axisLabel: {
        ...style.axisLabel,
        // Rows are numbered from the bottom: row 0 is the latest step.
        formatter: (v: number) => {
          const step = Number.isInteger(v) ? steps[n - 1 - v] : undefined;
          return step === undefined ? '' : formatTick(step);
        },
      },
    };
  }
  return {
    ...style,
    type: panel.yScale === 'log' ? 'log' : 'value',
    gridIndex: index,
    name: panel.yLabel,
    // The rotated name runs along the plot: longer than the plot, it would cross the panel's title
    // and the caption, so it ends in an ellipsis there.
    nameTruncate: { maxWidth: Math.max(30, box.height * 0.8), ellipsis: '…' },
    scale: true,
    splitLine,
  };
}

function gridOf(box: Box): GridComponentOption {
  return {
    left: box.left,
    top: box.top,
    width: box.width,
    height: box.height,
    // The box holds the plot with its tick labels and axis name: ECharts shrinks the plot to fit them.
    outerBoundsMode: 'same',
    outerBoundsContain: 'all',
  };
}

function titles(
  figure: PlotFigure,
  look: PlotLook,
  layout: ReturnType<typeof figureLayout>,
  width: number,
): TitleComponentOption[] {
  const text = { color: look.text, fontFamily: look.fontFamily };
  const out: TitleComponentOption[] = [];
  if (layout.titleTop !== null) {
    out.push({
      text: figure.title,
      left: width / 2,
      textAlign: 'center',
      top: layout.titleTop,
      padding: 0,
      textStyle: { ...text, fontSize: figureTitleSize(look), fontWeight: 'bold' },
    });
  }
  figure.panels.forEach((panel, i) => {
    const place = layout.panels[i];
    if (!place) return;
    out.push({
      text: panel.title,
      left: place.titleCenter,
      textAlign: 'center',
      top: place.titleTop,
      padding: 0,
      textStyle: { ...text, fontSize: look.fontSize.title, fontWeight: 'bold' },
    });
    const ends = rampEnds(panel);
    if (ends === null) return;
    // "first → last", each end in its ramp colour: three texts anchored at the centre (one rich text
    // would be laid out with ECharts' estimate of the glyph widths, which the exports' font differs from).
    const top = place.titleTop + look.fontSize.title * 1.3;
    const gap = look.fontSize.tick;
    const part = (t: string, left: number, textAlign: 'left' | 'center' | 'right', color: string) =>
      out.push({
        text: t,
        left,
        top,
        textAlign,
        padding: 0,
        textStyle: { ...text, color, fontSize: look.fontSize.tick, fontWeight: 'normal' },
      });
    if (ends[0] === ends[1]) {
      part(ends[0], place.titleCenter, 'center', look.sequential[1]);
      return;
    }
    part(ends[0], place.titleCenter - gap, 'right', look.sequential[0]);
    part('→', place.titleCenter, 'center', look.axis);
    part(ends[1], place.titleCenter + gap, 'left', look.sequential[1]);
  });
  if (layout.caption !== null) {
    out.push({
      text: layout.caption.lines.join('\n'),
      left: layout.panels[0]?.box.left ?? 0,
      top: layout.caption.top,
      padding: 0,
      textStyle: {
        ...text,
        fontSize: look.fontSize.tick,
        fontWeight: 'normal',
        lineHeight: layout.caption.lineHeight,
      },
    });
  }
  return out;
}

/** Per zoomable x kind present, the indices of its panels' x axes (each group zooms together). */
function zoomGroups(figure: PlotFigure): number[][] {
  return ZOOM_KINDS.map((kind) =>
    figure.panels.flatMap((p, i) => (p.xKind === kind && p.kind === 'lines' ? [i] : [])),
  ).filter((g) => g.length > 0);
}

/**
 * The figure as one ECharts option for a canvas of size.width x size.height px (use figureHeightPx
 * for a height that suits the width). Calls withScales itself.
 */
export function plotOption(
  input: PlotFigure,
  look: PlotLook,
  size: PlotSize,
  options: PlotOptions = {},
): EChartsOption {
  const figure = withScales(input);
  const parts = figure.panels.map((p, i) => panelSeries(p, i, look));
  const legend = figureLegend(figure);
  const caption = options.caption ? captionParagraphs(figure) : [];
  const layout = figureLayout(layoutInput(figure, legend, options, caption), look, size);
  const boxes = layout.panels.map((p) => p.box);
  const xLabels = figure.panels.map((p) => p.xLabel);
  const option: EChartsOption = {
    animation: false,
    backgroundColor: look.background,
    color: [...look.palette],
    textStyle: { fontFamily: look.fontFamily, color: look.text, fontSize: look.fontSize.tick },
    title: titles(figure, look, layout, size.width),
    grid: boxes.map(gridOf),
    xAxis: figure.panels.map((p, i) => xAxisOf(p, i, look)),
    yAxis: figure.panels.map((p, i) =>
      yAxisOf(p, i, look, parts[i]?.ridges ?? null, boxes[i] ?? { left: 0, top: 0, width: 0, height: 0 }),
    ),
    series: parts.flatMap((p) => p.series),
  };
  if (layout.legend !== null) {
    const { itemWidth, itemHeight, itemGap } = legendMetrics(look);
    option.legend = {
      type: options.zoom ? 'scroll' : 'plain',
      // Each entry as wide as the layout reckoned it (ECharts measures text without the font at hand,
      // narrower than DejaVu Sans draws it), so entries neither overlap nor wrap other than planned.
      // A text box's width counts in ECharts' layout only when the box is drawn: lineHeight does that.
      data: legend.map((e) => ({
        name: e.name,
        icon: e.icon,
        textStyle: {
          width: Math.ceil(textWidthPx(e.name, look.fontSize.tick)),
          lineHeight: Math.round(look.fontSize.tick * 1.2),
        },
      })),
      left: layout.panels[0]?.box.left ?? 0,
      top: layout.legend.top,
      width: layout.legend.width,
      padding: 0,
      itemWidth,
      itemHeight,
      itemGap,
      textStyle: { color: look.text, fontFamily: look.fontFamily, fontSize: look.fontSize.tick },
      pageTextStyle: { color: look.text, fontFamily: look.fontFamily, fontSize: look.fontSize.tick },
      pageIconColor: look.text,
      pageIconInactiveColor: look.splitLine,
    };
  }
  if (options.zoom) {
    const groups = zoomGroups(figure);
    const dataZoom: DataZoomComponentOption[] = groups.map((xAxisIndex) => ({
      type: 'inside',
      xAxisIndex,
      // The figure is re-read at the zoomed range; nothing is filtered out of what is drawn.
      filterMode: 'none',
    }));
    option.dataZoom = dataZoom;
    option.axisPointer = { link: groups.map((xAxisIndex) => ({ xAxisIndex })) };
    option.tooltip = {
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: look.axis } },
      backgroundColor: look.background,
      borderColor: look.splitLine,
      textStyle: { color: look.text, fontFamily: look.fontFamily, fontSize: look.fontSize.tick },
      formatter: (params: unknown) => axisTooltip(params, xLabels),
    };
  }
  return option;
}

/**
 * A height for a canvas `widthPx` wide that gives each row of panels plots about 0.45 as tall as
 * wide (90 to 300 px) with room for titles, legend and, with options.caption, the caption. The look
 * sets the text sizes (default: the light screen look); pass the look and options plotOption gets.
 */
export function figureHeightPx(
  input: PlotFigure,
  widthPx: number,
  look: PlotLook = screenLook('light'),
  options: PlotOptions = {},
): number {
  const figure = withScales(input);
  const caption = options.caption ? captionParagraphs(figure) : [];
  return naturalHeight(layoutInput(figure, figureLegend(figure), options, caption), look, widthPx);
}
