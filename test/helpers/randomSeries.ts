/**
 * Random series for the store's property tests (level-of-detail blocks, block-aligned buckets):
 * values that exercise the non-finite encoding, steps with runs and gaps. Deterministic for a
 * seeded `rng`.
 */

export interface RandomValueOptions {
  /** Every `every` points, a stretch of `length` NaN (a bucket with no finite value). */
  nanStretch: { every: number; length: number };
}

/** Values with ties, NaN, +-Infinity and -0; now and then a stretch with no finite value. */
export function randomValue(rng: () => number, i: number, options: RandomValueOptions): number {
  const u = rng();
  if (i % options.nanStretch.every < options.nanStretch.length) return Number.NaN;
  if (u < 0.03) return Number.NaN;
  if (u < 0.05) return Number.POSITIVE_INFINITY;
  if (u < 0.07) return Number.NEGATIVE_INFINITY;
  if (u < 0.09) return -0;
  if (u < 0.1) return 0;
  return Math.round((rng() * 4 - 2) * 10) / 10;
}

export interface RandomStepsOptions {
  /** The first step is drawn from [-startSpread / 2, startSpread / 2). */
  startSpread: number;
  /** With probability `p`, a gap of 1..`max` steps; else mostly consecutive steps, some short gaps. */
  bigGap: { p: number; max: number };
}

/** Increasing steps with runs of consecutive steps and small and large gaps. */
export function randomSteps(rng: () => number, n: number, options: RandomStepsOptions): number[] {
  const steps: number[] = [];
  let step = Math.floor(rng() * options.startSpread) - options.startSpread / 2;
  for (let i = 0; i < n; i++) {
    const u = rng();
    step +=
      u < options.bigGap.p
        ? 1 + Math.floor(rng() * options.bigGap.max)
        : u < 0.1
          ? 1 + Math.floor(rng() * 60)
          : 1;
    steps.push(step);
  }
  return steps;
}
