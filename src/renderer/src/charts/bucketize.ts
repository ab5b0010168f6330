/**
 * The store's bucket math (src/main/store/buckets.ts) done in the page, for points the page holds
 * itself: the live tail of a series and scalars derived from probe records. The range [f, t]
 * (n = t - f + 1 steps) is split into B = min(buckets, n) equal-width buckets; step s falls in bucket
 * floor((s - f) B / n). Per non-empty bucket: min and max over finite values (null when it has none),
 * and the last value as it is (NaN and +-Infinity included).
 */
import type { SeriesBucket } from '../../../shared/runTypes';
import type { ChartPoint } from './bucketSeries';

/** A bucket holding one point. */
export function pointBucket(step: number, value: number): SeriesBucket {
  const finite = Number.isFinite(value);
  return {
    stepFrom: step,
    stepTo: step,
    min: finite ? value : null,
    minStep: finite ? step : null,
    max: finite ? value : null,
    maxStep: finite ? step : null,
    last: value,
    lastStep: step,
  };
}

/** Adds a point after every step of `b` (the caller keeps steps increasing). */
export function addToBucket(b: SeriesBucket, step: number, value: number, stepTo = step): void {
  if (Number.isFinite(value)) {
    if (b.min === null || value < b.min) {
      b.min = value;
      b.minStep = step;
    }
    if (b.max === null || value > b.max) {
      b.max = value;
      b.maxStep = step;
    }
  }
  b.last = value;
  b.lastStep = step;
  b.stepTo = Math.max(b.stepTo, stepTo);
}

/** Two neighbouring buckets (a before b) as one: what a read at half the resolution would return. */
export function mergeBuckets(a: SeriesBucket, b: SeriesBucket): SeriesBucket {
  const pick = (
    x: number | null,
    xs: number | null,
    y: number | null,
    ys: number | null,
    better: (u: number, v: number) => boolean,
  ): [number | null, number | null] => {
    if (x === null) return [y, ys];
    if (y === null) return [x, xs];
    // Ties keep the earlier step, as the store's ORDER BY value, step does.
    return better(y, x) ? [y, ys] : [x, xs];
  };
  const [min, minStep] = pick(a.min, a.minStep, b.min, b.minStep, (u, v) => u < v);
  const [max, maxStep] = pick(a.max, a.maxStep, b.max, b.maxStep, (u, v) => u > v);
  return {
    stepFrom: a.stepFrom,
    stepTo: b.stepTo,
    min,
    minStep,
    max,
    maxStep,
    last: b.last,
    lastStep: b.lastStep,
  };
}

/**
 * Points (in any order; one value per step, the later one kept) bucketed over [fromStep, toStep]
 * (default: their own range) into at most `buckets` buckets.
 */
export function bucketize(
  points: readonly ChartPoint[],
  buckets: number,
  fromStep?: number,
  toStep?: number,
): SeriesBucket[] {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`buckets must be >= 1, got ${buckets}`);
  const byStep = new Map<number, number>();
  for (const p of points) byStep.set(p.step, p.value);
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const firstStep = steps[0];
  const lastStep = steps[steps.length - 1];
  if (firstStep === undefined || lastStep === undefined) return [];
  const f = fromStep ?? firstStep;
  const t = toStep ?? lastStep;
  if (t < f) return [];
  const span = t - f + 1;
  const nb = Math.min(buckets, span);
  const out: SeriesBucket[] = [];
  let current: SeriesBucket | null = null;
  let currentIndex = -1;
  for (const step of steps) {
    if (step < f || step > t) continue;
    const value = byStep.get(step) as number;
    const index = Math.floor(((step - f) * nb) / span);
    if (current !== null && index === currentIndex) {
      addToBucket(current, step, value);
      continue;
    }
    // The bucket's step range as the store reports it, not its points' steps.
    current = pointBucket(step, value);
    current.stepFrom = f + Math.ceil((index * span) / nb);
    current.stepTo = f + Math.ceil(((index + 1) * span) / nb) - 1;
    currentIndex = index;
    out.push(current);
  }
  return out;
}
