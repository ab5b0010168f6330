/**
 * The synthetic regression task of the deep-linear-network experiments (PAPER.md section 2):
 *   x_i ~ N(0, I_dim) for i = 1..samples,  A_rc ~ N(0, 1) i.i.d. (dim x dim),  y_i = A x_i.
 * x comes from randomStream(seed, 'dln', 'x') and A from randomStream(seed, 'dln', 'A'), so the task
 * is a function of the run seed alone.
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

export function makeDlnTask(seed: number, samples: number, dim: number): DlnTask {
  const x = fillStandardNormal(new Float32Array(samples * dim), randomStream(seed, 'dln', 'x'));
  const a = fillStandardNormal(new Float32Array(dim * dim), randomStream(seed, 'dln', 'A'));
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
