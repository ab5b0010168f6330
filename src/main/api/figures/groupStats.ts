/**
 * One line from several runs (seeds) whose buckets line up (the same bucket width and boundaries,
 * see seriesLines.ts): per bucket any run has a point in, the mean of the runs' values and a band over
 * them.
 *
 * - Runs without a point in a bucket (a shorter run, one that diverged and stopped) are left out of
 *   it: the bucket's mean and band are over the runs present, so the line goes on while any run does.
 * - Non-finite values (a diverging run's NaN or Infinity) are left out of the mean and the band too;
 *   a bucket with no finite value is a gap (NaN).
 * - Band 'minmax': lowest to highest value; 'std': mean -+ the population standard deviation
 *   sqrt(sum (v - mean)^2 / k) over the k values (numpy's default), 0 for a single value.
 * - The bucket's step is the latest step a run's value was taken at; its x the mean of the runs' x at
 *   their own last steps in it: for wall time, the runs' mean time (callers whose x is a function of
 *   the step, steps and epochs, compute it at the bucket's step instead). The line's points are in
 *   step order (key order among equal steps).
 */
import type { BandKind } from '../../../shared/plots';

/**
 * One run's drawn points: per bucket its key, step, x and value. Keys say which buckets of different
 * runs are one (seriesLines.ts: the last step the bucket can hold) and, ascending, their order.
 */
export interface RunPoints {
  bucket: readonly number[];
  steps: readonly number[];
  x: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface GroupLine {
  steps: number[];
  x: number[];
  y: number[];
  lo: number[];
  hi: number[];
  /** Per point, how many runs had a point in its bucket. */
  runs: number[];
}

export function groupLine(runs: readonly RunPoints[], band: BandKind): GroupLine {
  const byBucket = new Map<number, { step: number; xs: number[]; vs: number[] }>();
  for (const r of runs) {
    for (let i = 0; i < r.bucket.length; i++) {
      const key = r.bucket[i] as number;
      let b = byBucket.get(key);
      if (!b) byBucket.set(key, (b = { step: -1, xs: [], vs: [] }));
      b.step = Math.max(b.step, r.steps[i] as number);
      b.xs.push(r.x[i] as number);
      b.vs.push(r.values[i] as number);
    }
  }
  const out: GroupLine = { steps: [], x: [], y: [], lo: [], hi: [], runs: [] };
  // In step order: a run's first point (a bucket of its own) may fall inside another run's bucket
  // that ends before it; by key the line would step back there.
  const ordered = [...byBucket.entries()].sort(([ka, a], [kb, b]) => a.step - b.step || ka - kb);
  for (const [, b] of ordered) {
    const finite = b.vs.filter(Number.isFinite);
    const mean = finite.length > 0 ? sum(finite) / finite.length : Number.NaN;
    let lo = Number.NaN;
    let hi = Number.NaN;
    if (finite.length > 0 && band === 'minmax') {
      lo = Math.min(...finite);
      hi = Math.max(...finite);
    } else if (finite.length > 0) {
      const sd = Math.sqrt(sum(finite.map((v) => (v - mean) ** 2)) / finite.length);
      lo = mean - sd;
      hi = mean + sd;
    }
    out.steps.push(b.step);
    const xs = b.xs.filter(Number.isFinite);
    out.x.push(xs.length > 0 ? sum(xs) / xs.length : Number.NaN);
    out.y.push(mean);
    out.lo.push(lo);
    out.hi.push(hi);
    out.runs.push(b.vs.length);
  }
  return out;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
