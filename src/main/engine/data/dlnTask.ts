/**
 * The synthetic regression task of the deep-linear-network experiments (PAPER.md section 2):
 *   x_i ~ N(0, s_x^2 I_dim) for i = 1..samples,  A_rc ~ N(0, s_A^2) i.i.d. (dim x dim),  y_i = A x_i,
 * with s_x = data.inputStd and s_A = data.targetStd (the spec's reading: both 1). x is s_x times the
 * standard normals of randomStream(seed, 'dln', 'x') and A is s_A times those of
 * randomStream(seed, 'dln', 'A'), so the task is a function of the run seed and the two scales, and
 * s = 1 gives exactly the draws of the unscaled task.
 */
import { randomStream } from '../rng/seeds';
import { fillStandardNormal } from './gaussian';

export interface DlnTask {
  samples: number;
  dim: number;
  /** Row-major [samples, dim]: x[i * dim + c]. */
  x: Float32Array;
  /** Row-major [samples, dim]: y[i * dim + r] = sum_c A[r * dim + c] x[i * dim + c]. */
  y: Float32Array;
  /** Row-major [dim, dim]. */
  a: Float32Array;
}

export interface DlnScales {
  /** s_x: x ~ N(0, s_x^2 I). */
  inputStd: number;
  /** s_A: A_rc ~ N(0, s_A^2). */
  targetStd: number;
}

export const SPEC_DLN_SCALES: DlnScales = { inputStd: 1, targetStd: 1 };

export function makeDlnTask(
  seed: number,
  samples: number,
  dim: number,
  scales: DlnScales = SPEC_DLN_SCALES,
): DlnTask {
  const x = scaled(
    fillStandardNormal(new Float32Array(samples * dim), randomStream(seed, 'dln', 'x')),
    scales.inputStd,
  );
  const a = scaled(
    fillStandardNormal(new Float32Array(dim * dim), randomStream(seed, 'dln', 'A')),
    scales.targetStd,
  );
  const y = new Float32Array(samples * dim);
  for (let i = 0; i < samples; i++) {
    for (let r = 0; r < dim; r++) {
      let sum = 0;
      for (let c = 0; c < dim; c++) sum += (a[r * dim + c] ?? 0) * (x[i * dim + c] ?? 0);
      y[i * dim + r] = sum;
    }
  }
  return { samples, dim, x, y, a };
}

function scaled(v: Float32Array, s: number): Float32Array {
  if (s !== 1) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) * s;
  return v;
}
