/**
 * The lp normalizations of PAPER.md section 3 (paper section 3.3), per unit j with y the uncentred
 * pre-activations over the batch (and H, W), m values a unit:
 *
 *   y_hat = (y - mean(y)) / (N_p + eps),   N_p = ((1/m) sum |y|^p)^(1/p),   N_inf = max |y|,
 *   z = gamma * y_hat + beta.
 *
 * The paper states the formula only in words; model.lp (config.ts) makes its two open choices
 * explicit. `centered: false` drops the mean: y_hat = y / (N_p + eps) (its batch and running mean are
 * then 0, so eval mode subtracts nothing). `averaged: false` drops the 1/m: N_p = (sum |y|^p)^(1/p)
 * (N_inf is the same either way). The spec's reading, both on, is the default.
 *
 * Gradients flow through mean(y) and N_p as in batch norm. Eval mode uses running estimates of the
 * mean and N_p.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LpNormConfig } from '../../../shared/config';
import type { NormStats } from './normStats';
import { unitAxes, type NormOutput } from './batchNorm';

export type LpOrder = 1 | 2 | 'inf';

/** PAPER.md section 3's reading: centred, N_p averaged over the unit's m values. */
export const SPEC_LP: LpNormConfig = { centered: true, averaged: true };

/** N_p of y per unit (uncentred): averaged ((1/m) sum |y|^p)^(1/p) or summed (sum |y|^p)^(1/p). */
export function lpNormOf(y: tf.Tensor, p: LpOrder, averaged = true): tf.Tensor {
  const axes = unitAxes(y);
  const reduce = averaged ? tf.mean : tf.sum;
  if (p === 1) return reduce(tf.abs(y), axes);
  if (p === 2) return tf.sqrt(reduce(tf.square(y), axes));
  return tf.max(tf.abs(y), axes);
}

export function lpNormTrain(
  y: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  p: LpOrder,
  eps: number,
  lp: LpNormConfig = SPEC_LP,
): NormOutput {
  const axes = unitAxes(y);
  const mean = lp.centered ? tf.mean(y, axes) : tf.zeros([y.shape[y.rank - 1] as number]);
  const np = lpNormOf(y, p, lp.averaged);
  const yHat = tf.div(lp.centered ? tf.sub(y, mean) : y, tf.add(np, eps));
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
