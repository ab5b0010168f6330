/**
 * Batch normalization (Ioffe & Szegedy 2015; PAPER.md section 3). Per unit j (channel for conv, with
 * the statistics over N, H, W), m elements per unit:
 *
 *   mu_B = (1/m) sum y,   sigma^2_B = (1/m) sum (y - mu_B)^2   (biased),
 *   y_hat = (y - mu_B) / sqrt(sigma^2_B + eps),   z = gamma * y_hat + beta.
 *
 * Eval mode uses the running estimates (mean, variance) in place of (mu_B, sigma^2_B).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NormStats } from '../models/network';

export interface NormOutput {
  out: tf.Tensor;
  stats: NormStats;
}

/** The statistics axes of an activation: all but the last (unit) axis. */
export function unitAxes(y: tf.Tensor): number[] {
  return Array.from({ length: y.rank - 1 }, (_, k) => k);
}

/** Elements per unit: N (dense) or N*H*W (conv). */
export function elementsPerUnit(y: tf.Tensor): number {
  return y.size / (y.shape[y.rank - 1] as number);
}

/** Train mode: normalize with the batch's mu_B and biased sigma^2_B (gradients flow through both). */
export function batchNormTrain(y: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): NormOutput {
  const { mean, variance } = tf.moments(y, unitAxes(y));
  const yHat = tf.mul(tf.sub(y, mean), tf.rsqrt(tf.add(variance, eps)));
  const m = elementsPerUnit(y);
  return {
    out: tf.add(tf.mul(yHat, gamma), beta),
    stats: {
      mean: mean as tf.Tensor1D,
      scale: variance as tf.Tensor1D,
      unbiasFactor: m > 1 ? m / (m - 1) : 1,
    },
  };
}

/** Eval mode: z = gamma * (y - mean) / sqrt(variance + eps) + beta with the running estimates. */
export function batchNormEval(
  y: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  running: NormStats,
  eps: number,
): tf.Tensor {
  const yHat = tf.mul(tf.sub(y, running.mean), tf.rsqrt(tf.add(running.scale, eps)));
  return tf.add(tf.mul(yHat, gamma), beta);
}
