/**
 * Debiased exponential moving average, as TensorBoard and the papers that use it smooth curves
 * (UX.md "Smoothing"), over full-resolution points:
 *
 *   m_k = alpha m_{k-1} + (1 - alpha) x_k,   m_0 = 0,   smoothed_k = m_k / (1 - alpha^n_k),
 *
 * with n_k the number of finite values seen so far. Debiasing divides out the weight the zero start
 * still holds, so a constant series stays exactly constant (no spike at the start) and the first
 * value is the first point itself. A NaN or +-Infinity is a gap: its output is NaN and it leaves the
 * state untouched, so the curve resumes after the gap from the values before it.
 */

/** A point of a series in step order (the renderer's ChartPoint has this shape). */
export interface EmaPoint {
  step: number;
  value: number;
}

export class DebiasedEma {
  private m = 0;
  private n = 0;
  private weight = 1;

  /** alpha in [0, 1): 0 = no smoothing. */
  constructor(private readonly alpha: number) {
    if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`EMA smoothing must be in [0, 1), got ${alpha}`);
  }

  /** The smoothed value after x (NaN for a non-finite x, the state unchanged). */
  push(x: number): number {
    if (!Number.isFinite(x)) return NaN;
    this.m = this.alpha * this.m + (1 - this.alpha) * x;
    this.n++;
    this.weight *= this.alpha;
    const smoothed = this.m / (1 - this.weight);
    // A constant series stays exactly constant, free of rounding drift.
    return this.n === 1 ? x : smoothed;
  }

  /** Values seen (finite ones). */
  get count(): number {
    return this.n;
  }
}

/** The debiased EMA of points in step order. */
export function debiasedEma(points: readonly EmaPoint[], alpha: number): EmaPoint[] {
  const ema = new DebiasedEma(alpha);
  return points.map((p) => ({ step: p.step, value: ema.push(p.value) }));
}

/** The debiased EMA of values in step order, as a typed array (a series of a million points). */
export function debiasedEmaValues(values: ArrayLike<number>, alpha: number): Float64Array {
  const ema = new DebiasedEma(alpha);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ema.push(values[i] as number);
  return out;
}
