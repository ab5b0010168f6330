/**
 * The compare view's state lives in the URL query, so a view can be reloaded, bookmarked and shared:
 *
 *   #/compare?runs=a,b&m=train/loss,test/accuracy&logy=0&logx=1&x=epoch&group=model.normalization
 *            &band=std&smooth=0.6&range=100,2000
 *
 * `m` lists the panels' metrics in order; `logx`/`logy` the indices of the panels with a log axis.
 * Defaults are left out of the URL (x=step, band=minmax, smoothing 0, no zoom, no grouping).
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { BAND_KINDS, X_AXES, type BandKind, type CompareSpec, type XAxis } from '../../../../shared/plots';

/** The contract's limits (shared/plots.ts compareSpecSchema). */
export const MAX_RUNS = 200;
export const MAX_PANELS = 12;
export const MAX_GROUP_KEYS = 8;
/** The slider's top: alpha 0.99 already averages over ~100 points. */
export const MAX_SMOOTHING = 0.99;

/** What a fresh compare shows, where the runs have these series. */
export const DEFAULT_METRICS = ['train/loss', 'train/accuracy', 'test/accuracy'] as const;

/** A panel as the view keeps it (the contract's defaults filled in). */
export interface ComparePanel {
  metric: string;
  xScale: 'linear' | 'log';
  yScale: 'linear' | 'log';
}

/** The compare view's whole state; `panels` may be empty until the metrics are known. */
export interface CompareState {
  runIds: string[];
  panels: ComparePanel[];
  x: XAxis;
  range: [number, number] | null;
  groupBy: string[];
  band: BandKind;
  smoothing: number;
}

function one(value: LocationQuery[string] | undefined): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string') ?? null;
  return null;
}

/** A comma list (or a repeated parameter), empty items dropped, each item once, in order. */
function list(value: LocationQuery[string] | undefined): string[] {
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') continue;
    for (const part of item.split(',')) {
      const t = part.trim();
      if (t && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

function indices(value: LocationQuery[string] | undefined): Set<number> {
  return new Set(
    list(value)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 0),
  );
}

/** A smoothing factor from the URL: clamped to [0, MAX_SMOOTHING], anything else is off. */
export function clampSmoothing(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(MAX_SMOOTHING, value);
}

/** A zoom `from,to` with from < to, both finite; anything else is no zoom. */
export function parseRange(text: string | null): [number, number] | null {
  if (text === null) return null;
  const parts = text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (parts.length !== 2) return null;
  const [from, to] = parts as [number, number];
  return Number.isFinite(from) && Number.isFinite(to) && from < to ? [from, to] : null;
}

export function stateFromQuery(query: LocationQuery): CompareState {
  const logx = indices(query['logx']);
  const logy = indices(query['logy']);
  const panels = list(query['m'])
    .slice(0, MAX_PANELS)
    .map((metric, i) => ({
      metric,
      xScale: logx.has(i) ? ('log' as const) : ('linear' as const),
      yScale: logy.has(i) ? ('log' as const) : ('linear' as const),
    }));
  const x = one(query['x']);
  const band = one(query['band']);
  return {
    runIds: list(query['runs']).slice(0, MAX_RUNS),
    panels,
    x: (X_AXES as readonly string[]).includes(x ?? '') ? (x as XAxis) : 'step',
    range: parseRange(one(query['range'])),
    groupBy: list(query['group']).slice(0, MAX_GROUP_KEYS),
    band: (BAND_KINDS as readonly string[]).includes(band ?? '') ? (band as BandKind) : 'minmax',
    smoothing: clampSmoothing(Number(one(query['smooth']) ?? 0)),
  };
}

/** A number as short as it reads back exactly enough for a URL (at most 6 significant digits). */
function short(n: number): string {
  return String(Number(n.toPrecision(6)));
}

export function queryFromState(state: CompareState): LocationQueryRaw {
  const q: LocationQueryRaw = { runs: state.runIds.join(',') };
  if (state.panels.length > 0) q['m'] = state.panels.map((p) => p.metric).join(',');
  const logx = state.panels.flatMap((p, i) => (p.xScale === 'log' ? [i] : []));
  const logy = state.panels.flatMap((p, i) => (p.yScale === 'log' ? [i] : []));
  if (logx.length > 0) q['logx'] = logx.join(',');
  if (logy.length > 0) q['logy'] = logy.join(',');
  if (state.x !== 'step') q['x'] = state.x;
  if (state.groupBy.length > 0) q['group'] = state.groupBy.join(',');
  if (state.band !== 'minmax') q['band'] = state.band;
  if (state.smoothing > 0) q['smooth'] = short(state.smoothing);
  if (state.range) q['range'] = `${short(state.range[0])},${short(state.range[1])}`;
  return q;
}

/** The spec `figures.build` and `figures.export` take; null while there is nothing to draw. */
export function specFromState(state: CompareState): CompareSpec | null {
  if (state.runIds.length === 0 || state.panels.length === 0) return null;
  const panels: CompareSpec['panels'] = state.panels.map((p) => ({
    metric: p.metric,
    xScale: p.xScale,
    yScale: p.yScale,
  }));
  return {
    kind: 'compare',
    runIds: [...state.runIds],
    panels,
    x: state.x,
    ...(state.range ? { range: [state.range[0], state.range[1]] as [number, number] } : {}),
    groupBy: [...state.groupBy],
    band: state.band,
    smoothing: state.smoothing,
    // Side by side in pairs (the window is wide); a lone panel takes the whole width.
    columns: state.panels.length === 1 ? 1 : 2,
  };
}

/**
 * The panels a fresh compare opens with: the default metrics the runs have, in that order; else the
 * metric most runs have.
 */
export function defaultPanels(metrics: readonly { name: string; runs: number }[]): ComparePanel[] {
  const names = new Set(metrics.map((m) => m.name));
  const chosen: string[] = DEFAULT_METRICS.filter((m) => names.has(m));
  if (chosen.length === 0 && metrics.length > 0) {
    const best = [...metrics].sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name))[0];
    if (best) chosen.push(best.name);
  }
  return chosen.map((metric) => ({ metric, xScale: 'linear', yScale: 'linear' }));
}
