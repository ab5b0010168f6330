/**
 * A zoom in the chart (wheel or drag on the inside data zoom, a drag-select, or a programmatic
 * dataZoom action) as an x range in the figure's x units, which the view puts into the spec's `range`
 * so the main process re-reads that range at the chart's resolution.
 */
import type { PanelXKind, PlotFigure, XAxis } from '../../../../shared/plots';

export type XRange = [number, number];

/** ECharts' data zoom window, as getOption() or a datazoom event says it. */
export interface ZoomWindow {
  start?: number;
  end?: number;
  startValue?: number | string | Date;
  endValue?: number | string | Date;
}

/** The window covers the whole axis (nothing zoomed). */
export function isWholeWindow(w: ZoomWindow): boolean {
  return (
    w.startValue === undefined && w.endValue === undefined && (w.start ?? 0) <= 0 && (w.end ?? 100) >= 100
  );
}

/** A window in percent of the axis extent [lo, hi] as x values (a log axis' percent is in decades). */
export function rangeFromPercent(start: number, end: number, extent: XRange, log = false): XRange {
  const [lo, hi] = extent;
  const at = (p: number): number => {
    const f = Math.min(100, Math.max(0, p)) / 100;
    if (log && lo > 0 && hi > 0) return 10 ** (Math.log10(lo) + f * (Math.log10(hi) - Math.log10(lo)));
    return lo + f * (hi - lo);
  };
  return [at(Math.min(start, end)), at(Math.max(start, end))];
}

/**
 * A range in x units as the spec keeps it: steps are whole (the window widened to the steps it
 * touches), epochs and seconds kept to 6 significant digits; null when it is empty or not finite.
 */
export function normalizeRange(range: readonly [number, number], x: XAxis): XRange | null {
  let [from, to] = range[0] <= range[1] ? [range[0], range[1]] : [range[1], range[0]];
  if (!Number.isFinite(from) || !Number.isFinite(to)) return null;
  if (x === 'step') {
    from = Math.max(0, Math.floor(from));
    to = Math.ceil(to);
  } else {
    from = Number(from.toPrecision(6));
    to = Number(to.toPrecision(6));
  }
  return to > from ? [from, to] : null;
}

/** Two ranges the same to within `relative` of their width (a zoom that moved nothing). */
export function sameRange(a: XRange | null, b: XRange | null, relative = 1e-6): boolean {
  if (a === null || b === null) return a === b;
  const width = Math.max(Math.abs(a[1] - a[0]), Math.abs(b[1] - b[0]), Number.MIN_VALUE);
  return Math.abs(a[0] - b[0]) <= relative * width && Math.abs(a[1] - b[1]) <= relative * width;
}

/** The x range of a drag-select (brush `lineX`): its first area's coordRange, if it has one. */
export function rangeFromBrush(areas: unknown): XRange | null {
  if (!Array.isArray(areas)) return null;
  const first = areas[0] as { coordRange?: unknown } | undefined;
  const c = first?.coordRange;
  if (!Array.isArray(c) || c.length < 2) return null;
  // A lineX area's coordRange is [from, to]; a rect's is [[x0, x1], [y0, y1]].
  const xs = Array.isArray(c[0]) ? (c[0] as unknown[]) : c;
  const [a, b] = xs as [unknown, unknown];
  return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)
    ? [Math.min(a, b), Math.max(a, b)]
    : null;
}

/** Panels whose x is the run's progress (they zoom together); eta curves and ridges do not. */
const ZOOMABLE = new Set<PanelXKind>(['step', 'epoch', 'time']);

/**
 * The x extent the zoomable panels show: their zoom when the figure is zoomed, else the extent of
 * their finite x values. Null when no panel zooms.
 */
export function figureXExtent(figure: PlotFigure): XRange | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const panel of figure.panels) {
    if (panel.kind !== 'lines' || !ZOOMABLE.has(panel.xKind)) continue;
    if (panel.xRange) {
      lo = Math.min(lo, panel.xRange[0]);
      hi = Math.max(hi, panel.xRange[1]);
      continue;
    }
    for (const line of panel.lines) {
      for (const x of line.x) {
        if (!Number.isFinite(x)) continue;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  }
  return lo < hi ? [lo, hi] : null;
}

/** Whether some panel of the figure zooms with the x range (the Reset zoom and drag-select apply). */
export function figureZooms(figure: PlotFigure): boolean {
  return figure.panels.some((p) => p.kind === 'lines' && ZOOMABLE.has(p.xKind));
}
