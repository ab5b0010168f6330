/**
 * 1D and 2D loss slices along random directions with filter normalization (Li, Xu, Taylor, Studer and
 * Goldstein 2018, "Visualizing the Loss Landscape of Neural Nets"; PAPER.md section 4, beyond the
 * paper):
 *
 *   f(alpha) = L(w + alpha d1),    f(alpha, beta) = L(w + alpha d1 + beta d2),
 *
 * with d1, d2 Gaussian directions rescaled filter by filter to the weights' norms, so that a step
 * alpha = 1 moves every filter by its own size and slices of networks with different weight scales
 * (batch norm makes the loss invariant to them) are comparable. Pure and resumable: the job that
 * stores the grid points and drives the CLI lives elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network, ParamMap } from '../models/networkTypes';
import { deriveSeed } from '../rng/seeds';

/**
 * d ~ N(0, I) drawn per parameter name from deriveSeed(seed, 'slice-direction', name), then for every
 * weight tensor and every filter j (output unit: the last axis of a [3, 3, in, out] conv kernel or an
 * [in, out] linear map)
 *
 *   d_j <- d_j / (||d_j|| + 1e-10) * ||w_j||        (Frobenius norms),
 *
 * as Li et al.'s code does (a zero filter of w gets a zero direction). Biases and batch-norm gamma and
 * beta get the zero direction: Li et al.'s 'biasbn' choice, used for their figures, which leaves the
 * 1-D parameters where they are. Returns fresh tensors, one per parameter of `net`, owned by the caller.
 */
export function filterNormalizedDirection(net: Network, params: ParamMap, seed: number): ParamMap {
  const direction: ParamMap = {};
  for (const spec of net.params) {
    const w = params[spec.name];
    if (!w) throw new Error(`filterNormalizedDirection: parameter ${spec.name} is missing`);
    if (spec.role !== 'weight') {
      direction[spec.name] = tf.zeros(w.shape);
      continue;
    }
    direction[spec.name] = tf.tidy(() => {
      const filters = w.shape[w.rank - 1] as number;
      const d = tf.randomNormal(
        [w.size / filters, filters],
        0,
        1,
        'float32',
        deriveSeed(seed, 'slice-direction', spec.name),
      );
      const filterNorm = (t: tf.Tensor): tf.Tensor => tf.sqrt(tf.sum(tf.square(t), 0));
      const wNorm = filterNorm(tf.reshape(w, [-1, filters]));
      return tf.reshape(tf.mul(d, tf.div(wNorm, tf.add(filterNorm(d), 1e-10))), w.shape);
    });
  }
  return direction;
}

/** The grid of a slice: alphas along d1 and, for a 2D slice, betas along d2. */
export interface SliceGrid {
  alphas: number[];
  betas?: number[];
}

/**
 * Evaluates L(w + alphas[i] d1 (+ betas[j] d2)) point by point in row-major order (i outer, j inner;
 * j = 0 for a 1D slice), calling `done(i, j, loss)` after each point (awaited, so the caller can store
 * it before the next one) and leaving out the points `skip(i, j)` says are stored already, so an
 * interrupted grid resumes where it stopped. `lossAt` receives the moved weights, which are disposed
 * when it resolves; params, d1 and d2 are only read. d2 is required exactly when grid.betas is given.
 */
export async function evaluateSlice(
  lossAt: (params: ParamMap) => Promise<number>,
  params: ParamMap,
  d1: ParamMap,
  d2: ParamMap | undefined,
  grid: SliceGrid,
  done: (i: number, j: number, loss: number) => void | Promise<void>,
  skip?: (i: number, j: number) => boolean,
): Promise<void> {
  if ((grid.betas === undefined) !== (d2 === undefined)) {
    throw new Error('evaluateSlice: a 2D slice needs both grid.betas and d2, a 1D slice neither');
  }
  const names = Object.keys(params);
  for (const n of names) {
    if (!d1[n] || (d2 && !d2[n])) throw new Error(`evaluateSlice: the directions have no ${n}`);
  }
  const betas = grid.betas ?? [0];
  for (let i = 0; i < grid.alphas.length; i++) {
    for (let j = 0; j < betas.length; j++) {
      if (skip?.(i, j)) continue;
      const alpha = grid.alphas[i] as number;
      const beta = betas[j] as number;
      const moved = tf.tidy(() => {
        const out: ParamMap = {};
        for (const n of names) {
          let t = tf.add(params[n] as tf.Tensor, tf.mul(d1[n] as tf.Tensor, alpha));
          if (d2) t = tf.add(t, tf.mul(d2[n] as tf.Tensor, beta));
          out[n] = t;
        }
        return out;
      });
      let loss: number;
      try {
        loss = await lossAt(moved);
      } finally {
        for (const t of Object.values(moved)) t.dispose();
      }
      await done(i, j, loss);
    }
  }
}

export { linspace } from '../../../shared/slices';
