/**
 * From min/max/last buckets (the store's downsampled reads, shared/runTypes.ts SeriesBucket) to what a
 * chart draws (UX.md "Downsampling must never hide things"):
 *
 * - the line passes through each bucket's last value at its step (and the series' first point, when
 *   known, so the curve starts where the series starts);
 * - the envelope is a band from each bucket's min to its max, joining neighbouring buckets, so every
 *   spike that a pixel column holds stays visible;
 * - a non-finite last value is a gap in the line (never a made-up value); a bucket with no finite value
 *   (null min/max) is a gap in the band;
 * - on a log y axis non-positive values are hidden, not clamped, and counted.
 */
import type { SeriesBucket } from '../../../shared/runTypes';

export interface ChartPoint {
  step: number;
  value: number;
}

/** A vertex of an envelope: at step x, from lo to hi. */
export type BandVertex = [x: number, lo: number, hi: number];

/**
 * A stretch of envelope with no gap in it: its vertices in step order, joined from one to the next
 * (one vertex alone is a vertical bar).
 */
export type BandSegment = BandVertex[];

export interface SeriesDrawing {
  /** [step, value] in step order; a null value is a gap (non-finite, or non-positive on a log axis). */
  line: [number, number | null][];
  /** The envelope's segments; none where every bucket holds a single point (min = max). */
  band: BandSegment[];
  /** Distinct stored points the drawing shows (the N of the "N of M points" badge). */
  drawn: number;
  /** Points hidden because they are <= 0 on a log axis. */
  hiddenNonPositive: number;
  /** Line points that are NaN or +-Infinity (drawn as gaps). */
  nonFinite: number;
}

export interface DrawOptions {
  logY?: boolean;
  /** The series' first point, drawn even when no bucket's min, max or last falls on it. */
  first?: ChartPoint | null;
}

/** The distinct (step, value) points a bucket represents: its min, max and last. */
export function bucketPoints(b: SeriesBucket): ChartPoint[] {
  const out: ChartPoint[] = [];
  const add = (step: number | null, value: number | null): void => {
    if (step === null || value === null) return;
    if (out.some((p) => p.step === step)) return;
    out.push({ step, value });
  };
  add(b.lastStep, b.last);
  add(b.minStep, b.min);
  add(b.maxStep, b.max);
  return out.sort((a, c) => a.step - c.step);
}

export function drawBuckets(buckets: readonly SeriesBucket[], options: DrawOptions = {}): SeriesDrawing {
  const logY = options.logY ?? false;
  const visible = (v: number): boolean => Number.isFinite(v) && (!logY || v > 0);
  const line: [number, number | null][] = [];
  let drawn = 0;
  let hiddenNonPositive = 0;
  let nonFinite = 0;

  const first = options.first ?? null;
  const firstBucket = buckets[0];
  const firstCovered =
    first === null ||
    (firstBucket !== undefined && bucketPoints(firstBucket).some((p) => p.step === first.step)) ||
    (firstBucket !== undefined && first.step > firstBucket.stepTo);
  if (first !== null && !firstCovered) {
    drawn++;
    if (!Number.isFinite(first.value)) nonFinite++;
    else if (logY && first.value <= 0) hiddenNonPositive++;
    line.push([first.step, visible(first.value) ? first.value : null]);
  }

  const vertices: (BandVertex | null)[] = [];
  for (const b of buckets) {
    const points = bucketPoints(b);
    drawn += points.length;
    if (logY) hiddenNonPositive += points.filter((p) => Number.isFinite(p.value) && p.value <= 0).length;
    if (!Number.isFinite(b.last)) nonFinite++;
    line.push([b.lastStep, visible(b.last) ? b.last : null]);
    const hasBand = b.min !== null && b.max !== null && (!logY || b.min > 0);
    vertices.push(hasBand ? [b.lastStep, b.min as number, b.max as number] : null);
  }
  // Only where the envelope has a spread: single-point buckets are the line already.
  const band = segments(vertices, true);
  return { line, band, drawn, hiddenNonPositive, nonFinite };
}

export interface RangeDrawing {
  band: BandSegment[];
  /** Vertices drawn, two per bucket (its low and its high). */
  drawn: number;
  hiddenNonPositive: number;
}

/**
 * A band between two series measured at the same steps (e.g. the landscape's loss_min and
 * loss_max): per bucket from the low series' min to the high series' max, so the band is the hull of
 * every point either holds. Buckets are matched by their last step; a step either series lacks, or
 * with no finite value, is a gap.
 */
export function drawRange(
  lo: readonly SeriesBucket[],
  hi: readonly SeriesBucket[],
  options: { logY?: boolean } = {},
): RangeDrawing {
  const logY = options.logY ?? false;
  const highs = new Map(hi.map((b) => [b.lastStep, b]));
  let drawn = 0;
  let hiddenNonPositive = 0;
  const vertices: (BandVertex | null)[] = [];
  for (const l of lo) {
    const h = highs.get(l.lastStep);
    if (h === undefined || l.min === null || h.max === null) {
      vertices.push(null);
      continue;
    }
    drawn += 2;
    if (logY && l.min <= 0) {
      hiddenNonPositive += h.max <= 0 ? 2 : 1;
      vertices.push(null);
    } else {
      vertices.push([l.lastStep, l.min, Math.max(h.max, l.min)]);
    }
  }
  return { band: segments(vertices, false), drawn, hiddenNonPositive };
}

/**
 * The runs of consecutive vertices between gaps (null). With `spreadOnly`, a vertex stays only when
 * it or a neighbour has a spread (lo < hi), so a series drawn point for point has no envelope at all.
 */
function segments(vertices: readonly (BandVertex | null)[], spreadOnly: boolean): BandSegment[] {
  const spread = (v: BandVertex | null | undefined): boolean => v !== null && v !== undefined && v[1] < v[2];
  const out: BandSegment[] = [];
  let current: BandSegment | null = null;
  vertices.forEach((v, i) => {
    const keep =
      v !== null && (!spreadOnly || spread(v) || spread(vertices[i - 1]) || spread(vertices[i + 1]));
    if (!keep) {
      current = null;
      return;
    }
    if (current === null) {
      current = [];
      out.push(current);
    }
    current.push(v);
  });
  return out;
}
