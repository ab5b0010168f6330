/**
 * The statistics the claims' criteria are computed with: pure functions of numbers, no store.
 * Non-finite inputs are the caller's to filter; an empty input gives NaN, which the claims report as
 * missing data (never as a pass).
 */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** The median (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Coefficient of variation: population standard deviation over |mean|. */
export function coefficientOfVariation(xs: readonly number[]): number {
  const m = mean(xs);
  if (xs.length === 0 || m === 0) return NaN;
  const variance = mean(xs.map((x) => (x - m) ** 2));
  return Math.sqrt(variance) / Math.abs(m);
}

/**
 * A run's final value: the mean of its last `points` logged values, so one noisy batch does not decide
 * a claim. All of them when there are fewer.
 */
export function finalValue(values: ArrayLike<number>, points: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const from = Math.max(0, n - points);
  let sum = 0;
  for (let i = from; i < n; i++) sum += values[i] as number;
  return sum / (n - from);
}

/** The first step whose value is at least `target`; undefined when none is. */
export function firstStepReaching(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  target: number,
): number | undefined {
  for (let i = 0; i < values.length; i++) if ((values[i] as number) >= target) return steps[i] as number;
  return undefined;
}

/** |x_k - x_{k-1}| between consecutive logged values (Fig 8's drift). */
export function absoluteChanges(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++)
    out.push(Math.abs((values[i] as number) - (values[i - 1] as number)));
  return out;
}

/**
 * Skewness and excess kurtosis of a histogram, each bin's count placed at its midpoint:
 * skew = m3 / m2^1.5, excess kurtosis = m4 / m2^2 - 3, m_k the central moments. A normal
 * distribution has 0 and 0 (binning into ~40 bins over +-3 sd moves them by about 0.1).
 */
export function histogramShape(
  edges: readonly number[],
  counts: readonly number[],
): { skewness: number; excessKurtosis: number } {
  const mids = counts.map((_, b) => ((edges[b] as number) + (edges[b + 1] as number)) / 2);
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return { skewness: NaN, excessKurtosis: NaN };
  const moment = (f: (x: number) => number): number =>
    counts.reduce((s, c, b) => s + c * f(mids[b] as number), 0) / total;
  const mu = moment((x) => x);
  const m2 = moment((x) => (x - mu) ** 2);
  if (m2 === 0) return { skewness: NaN, excessKurtosis: NaN };
  const m3 = moment((x) => (x - mu) ** 3);
  const m4 = moment((x) => (x - mu) ** 4);
  return { skewness: m3 / m2 ** 1.5, excessKurtosis: m4 / m2 ** 2 - 3 };
}
