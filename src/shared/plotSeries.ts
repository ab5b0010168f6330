/**
 * The ECharts series of a figure's lines, bands, end markers and ridges (plotOption.ts assembles them).
 * Series ids are `<panel index>/<line key>:<part>`, part one of line, raw, paper, band, end, ridges;
 * a line's raw line, band and end marker carry its label as their name, so the legend entry of that
 * label shows and hides them all. Nothing is sampled by ECharts (a sampled line would lose extremes,
 * and an export must hold one vertex per point); no animation.
 */
import type {
  CustomSeriesOption,
  CustomSeriesRenderItem,
  LineSeriesOption,
  ScatterSeriesOption,
} from 'echarts';
import type { PlotLine, PlotPanel } from './plots';
import { rampColor } from './plotColor';
import type { PlotLook } from './plotLook';
import type { Ridge } from './plotRidges';

export type PlotSeries = LineSeriesOption | CustomSeriesOption | ScatterSeriesOption;

/** Drawing order: bands under raw lines under lines; markers on top. */
const Z = { band: 1, ridge: 1, raw: 2, line: 3, end: 4 } as const;

/** The legend's name of a line: paper overlays say so. */
export function legendName(line: PlotLine): string {
  return line.role === 'paper' ? `paper: ${line.label}` : line.label;
}

/** A line's colour: its palette slot, or on a sequential panel its shade on the ramp. */
export function lineColor(panel: PlotPanel, line: PlotLine, index: number, look: PlotLook): string {
  if (panel.palette === 'sequential') {
    const n = panel.lines.length;
    const shade = line.shade ?? (n > 1 ? index / (n - 1) : 1);
    return rampColor(look.sequential[0], look.sequential[1], shade);
  }
  const palette = look.palette.length > 0 ? look.palette : ['#000000'];
  return palette[line.color % palette.length] as string;
}

interface Target {
  id: string;
  axis: number;
  color: string;
}

function axes(axis: number): { xAxisIndex: number; yAxisIndex: number } {
  return { xAxisIndex: axis, yAxisIndex: axis };
}

function finite(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}

/** [x, y] pairs with a point that cannot be drawn (either value not finite) as a gap: y null. */
export function lineData(line: PlotLine): { data: [number | null, number | null][]; drawn: number } {
  const n = Math.min(line.x.length, line.y.length);
  const data: [number | null, number | null][] = new Array(n);
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    const x = line.x[i];
    const y = line.y[i];
    if (finite(x) && finite(y)) {
      data[i] = [x, y];
      drawn++;
    } else data[i] = [finite(x) ? x : null, null];
  }
  return { data, drawn };
}

/** A line (role 'line', 'raw' or 'paper'), or null when it has no point to draw. */
export function lineSeries(line: PlotLine, t: Target, look: PlotLook): LineSeriesOption | null {
  const { data, drawn } = lineData(line);
  if (drawn === 0) return null;
  const raw = line.role === 'raw';
  const paper = line.role === 'paper';
  const width = raw ? (look.lineWidth * 2) / 3 : paper ? look.lineWidth * 0.75 : look.lineWidth;
  return {
    type: 'line',
    id: t.id,
    name: raw ? line.label : legendName(line),
    ...axes(t.axis),
    // The cast: ECharts' data type has no null in a pair, though null is its documented gap.
    data: data as unknown as [number, number][],
    connectNulls: false,
    // A lone point would draw nothing without its symbol.
    showSymbol: drawn === 1,
    // No symbol also keeps the legend's swatch a plain (or dashed) stroke.
    symbol: drawn === 1 ? 'circle' : 'none',
    symbolSize: Math.max(3, look.lineWidth * 3),
    sampling: 'none',
    clip: true,
    animation: false,
    z: raw ? Z.raw : Z.line,
    color: t.color,
    itemStyle: { color: t.color },
    lineStyle: {
      color: t.color,
      width,
      type: paper ? 'dashed' : 'solid',
      ...(raw ? { opacity: look.rawOpacity } : {}),
    },
    ...(raw ? { silent: true, emphasis: { disabled: true }, tooltip: { show: false } } : {}),
  };
}

/** Runs of consecutive indices where x, lo and hi are all finite (and lo <= hi is not required). */
function bandSegments(line: PlotLine): number[][] {
  const band = line.band;
  if (!band) return [];
  const n = Math.min(line.x.length, band.lo.length, band.hi.length);
  const out: number[][] = [];
  let run: number[] = [];
  for (let i = 0; i < n; i++) {
    if (finite(line.x[i]) && finite(band.lo[i]) && finite(band.hi[i])) run.push(i);
    else if (run.length > 0) {
      out.push(run);
      run = [];
    }
  }
  if (run.length > 0) out.push(run);
  return out;
}

/**
 * A line's band as a custom series: one filled polygon per unbroken run of points (the upper edge
 * forward, the lower edge back), so it has one vertex per edge point, and follows any axis type (a
 * log axis too). A run of one point is a vertical stroke. Null when the line has no band to draw.
 */
export function bandSeries(line: PlotLine, t: Target, look: PlotLook): CustomSeriesOption | null {
  const band = line.band;
  const segments = bandSegments(line);
  if (!band || segments.length === 0) return null;
  const x = line.x;
  const renderItem: CustomSeriesRenderItem = (params, api) => {
    const seg = segments[params.dataIndex];
    if (!seg) return null;
    if (seg.length === 1) {
      const i = seg[0] as number;
      const a = api.coord([x[i], band.hi[i]]);
      const b = api.coord([x[i], band.lo[i]]);
      return {
        type: 'line',
        shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] },
        style: { stroke: t.color, lineWidth: look.lineWidth, opacity: look.bandOpacity },
        silent: true,
      };
    }
    const points: number[][] = [];
    for (const i of seg) points.push(api.coord([x[i], band.hi[i]]));
    for (let k = seg.length - 1; k >= 0; k--) {
      const i = seg[k] as number;
      points.push(api.coord([x[i], band.lo[i]]));
    }
    if (line.role === 'paper') {
      // The paper's band is its two edges, dashed like its lines, so it never reads as a run's band
      // (an outlined polygon would also draw vertical edges at its ends).
      const style = { fill: 'none', stroke: t.color, lineWidth: look.lineWidth * 0.75, lineDash: [4, 2] };
      const upper = points.slice(0, seg.length);
      const lower = points.slice(seg.length);
      return {
        type: 'group',
        children: [
          { type: 'polyline', shape: { points: upper }, style, silent: true },
          { type: 'polyline', shape: { points: lower }, style, silent: true },
        ],
      };
    }
    return {
      type: 'polygon',
      shape: { points },
      style: { fill: t.color, opacity: look.bandOpacity },
      silent: true,
    };
  };
  return {
    type: 'custom',
    id: t.id,
    name: line.role === 'raw' ? line.label : legendName(line),
    ...axes(t.axis),
    renderItem,
    // Per polygon: the x and y extent it covers (for the axes' extents).
    data: segments.map((seg) => {
      let x0 = Infinity;
      let x1 = -Infinity;
      let y0 = Infinity;
      let y1 = -Infinity;
      for (const i of seg) {
        const xi = x[i] as number;
        const lo = band.lo[i] as number;
        const hi = band.hi[i] as number;
        x0 = Math.min(x0, xi);
        x1 = Math.max(x1, xi);
        y0 = Math.min(y0, lo, hi);
        y1 = Math.max(y1, lo, hi);
      }
      return [x0, y0, y1, x1];
    }),
    encode: { x: [0, 3], y: [1, 2] },
    // The legend's swatch when the band is all a line draws (a loss band without a mean).
    itemStyle: { color: t.color },
    silent: true,
    clip: true,
    z: Z.band,
    tooltip: { show: false },
    animation: false,
  };
}

/** A diverged run's end: a dot where its line ends and the text ("diverged @ 1234") beside it. */
export function endSeries(
  line: PlotLine,
  t: Target,
  look: PlotLook,
  rightHalf: boolean,
): ScatterSeriesOption | null {
  const end = line.end;
  if (!end || !finite(end.x) || !finite(end.y)) return null;
  return {
    type: 'scatter',
    id: t.id,
    name: legendName(line),
    ...axes(t.axis),
    data: [[end.x, end.y]],
    symbol: 'circle',
    symbolSize: Math.max(5, look.lineWidth * 4),
    itemStyle: { color: t.color, opacity: 1 },
    label: {
      show: true,
      position: 'top',
      // Text away from the nearer side of the panel, so it stays inside.
      align: rightHalf ? 'right' : 'left',
      formatter: end.text,
      color: t.color,
      fontFamily: look.fontFamily,
      fontSize: look.fontSize.tick,
    },
    emphasis: { disabled: true },
    clip: true,
    z: Z.end,
    animation: false,
  };
}

/** A ridge panel's ridges as one custom series: a filled polygon per row, later rows in front. */
export function ridgeSeries(
  ridges: readonly Ridge[],
  id: string,
  axis: number,
  look: PlotLook,
): CustomSeriesOption {
  const n = ridges.length;
  const renderItem: CustomSeriesRenderItem = (params, api) => {
    const ridge = ridges[params.dataIndex];
    if (!ridge) return null;
    const fill = rampColor(look.sequential[0], look.sequential[1], n > 1 ? ridge.index / (n - 1) : 1);
    return {
      type: 'polygon',
      shape: { points: ridge.outline.map((p) => api.coord(p)) },
      // The background's colour round each ridge sets it off from the one behind it.
      style: { fill, stroke: look.background, lineWidth: look.axisWidth },
      silent: true,
    };
  };
  return {
    type: 'custom',
    id,
    name: id,
    ...axes(axis),
    renderItem,
    data: ridges.map((r) => [r.xMin, r.xMax, r.baseline, r.top]),
    encode: { x: [0, 1], y: [2, 3] },
    silent: true,
    clip: true,
    z: Z.ridge,
    tooltip: { show: false },
    animation: false,
  };
}
