/**
 * The lp normalizations of PAPER.md section 3 (paper section 3.3), per unit j with y the uncentred
 * pre-activations over the batch (and H, W):
 *
 *   y_hat = (y - mean(y)) / (N_p + eps),   N_p = ((1/m) sum |y|^p)^(1/p),   N_inf = max |y|,
 *   z = gamma * y_hat + beta.
 *
 * Gradients flow through mean(y) and N_p as in batch norm. Eval mode uses running estimates of the
 * mean and N_p.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NormStats } from './normStats';
import { unitAxes, type NormOutput } from './batchNorm';

export type LpOrder = 1 | 2 | 'inf';

/** N_p of y per unit (uncentred). */
export function lpNormOf(y: tf.Tensor, p: LpOrder): tf.Tensor {
  const axes = unitAxes(y);
  if (p === 1) return tf.mean(tf.abs(y), axes);
  if (p === 2) return tf.sqrt(tf.mean(tf.square(y), axes));
  return tf.max(tf.abs(y), axes);
}

export function lpNormTrain(
  y: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  p: LpOrder,
  eps: number,
): NormOutput {
  const mean = tf.mean(y, unitAxes(y));
  const np = lpNormOf(y, p);
  const yHat = tf.div(tf.sub(y, mean), tf.add(np, eps));
  return {
    out: tf.add(tf.mul(yHat, gamma), beta),
    stats: { mean: mean as tf.Tensor1D, scale: np as tf.Tensor1D },
  };
}

/** Eval mode: z = gamma * (y - mean) / (N_p + eps) + beta with the running estimates. */
export function lpNormEval(
  y: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  running: NormStats,
  eps: number,
): tf.Tensor {
  const yHat = tf.div(tf.sub(y, running.mean), tf.add(running.scale, eps));
  return tf.add(tf.mul(yHat, gamma), beta);
}
