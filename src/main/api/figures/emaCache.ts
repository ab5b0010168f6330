/**
 * Smoothed series for figures: the debiased EMA (shared/ema.ts) over every stored point of a series,
 * from its first step, whatever range is shown; a zoom samples it at the drawn steps. Smoothing the
 * downsampled buckets instead would weigh a bucket of a thousand points like one point and change the
 * curve with the zoom.
 *
 * Computing it reads the whole series (a million points: a few hundred ms), so results are kept in a
 * least-recently-used cache per store, bounded by the bytes held: 12 per point (the step as a 32-bit
 * integer where every step fits, the smoothed value as a double), so the benchmark's compare of ten
 * runs of a million points (120 MB) fits; a scan of more than fits evicts as it goes. An entry is valid
 * while the series' point count, last step and last value are those it was computed from: a write
 * (new points, a truncation and replay) changes one of them.
 */
import { debiasedEmaValues } from '../../../shared/ema';
import type { SeriesStats } from '../../../shared/api';
import type { Store } from '../../store';

/** Bytes kept over all entries of one store's cache. */
export const EMA_CACHE_BYTES = 160 * 2 ** 20;

interface Entry {
  version: string;
  steps: Int32Array | Float64Array;
  smoothed: Float64Array;
}

const bytesOf = (e: Entry): number => e.steps.byteLength + e.smoothed.byteLength;

const caches = new WeakMap<Store, Map<string, Entry>>();

/** A smoothed series: its values at any of its steps. */
export interface SmoothedSeries {
  /** The smoothed value at each of `steps` (NaN where the series has no point, or it is non-finite). */
  at(steps: readonly number[]): Float64Array;
}

export function smoothedSeries(
  store: Store,
  runId: string,
  series: SeriesStats,
  alpha: number,
): SmoothedSeries {
  const entry = cachedEntry(store, runId, series, alpha);
  return { at: (steps) => sampleAt(entry, steps) };
}

function cachedEntry(store: Store, runId: string, series: SeriesStats, alpha: number): Entry {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const key = JSON.stringify([runId, series.name, alpha]);
  const version = JSON.stringify([series.points, series.lastStep, series.last]);
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // Map order is insertion order: re-inserting makes it the most recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const { steps, values } = store.readSeries(runId, series.name);
  const int32 = steps.every((s) => s >= -(2 ** 31) && s < 2 ** 31);
  const entry: Entry = {
    version,
    steps: int32 ? Int32Array.from(steps) : steps,
    smoothed: debiasedEmaValues(values, alpha),
  };
  cache.delete(key);
  cache.set(key, entry);
  let held = 0;
  for (const e of cache.values()) held += bytesOf(e);
  for (const [k, e] of cache) {
    if (held <= EMA_CACHE_BYTES || e === entry) break;
    cache.delete(k);
    held -= bytesOf(e);
  }
  return entry;
}

function sampleAt(entry: Entry, steps: readonly number[]): Float64Array {
  const out = new Float64Array(steps.length);
  const all = entry.steps;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as number;
    // Binary search for s among the stored steps (ascending).
    let lo = 0;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((all[mid] as number) < s) lo = mid + 1;
      else hi = mid;
    }
    out[i] = all[lo] === s ? (entry.smoothed[lo] as number) : Number.NaN;
  }
  return out;
}
