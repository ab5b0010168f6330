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
import type { NormStats } from './normStats';

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

/**
 * Fused kernels a backend may register for batchNormTrain (the wasm backend does:
 * backends/wasm/batchNorm.ts); where the active backend has them, batchNormTrain runs them instead of
 * its ops, with the same statistics and the same gradient formula.
 *
 * BATCH_NORM_FORWARD: inputs {x [..., C], gamma [C], beta [C]}, attrs {epsilon};
 *   outputs [z (x's shape), mu_B [C], sigma^2_B [C] (biased), s = 1/sqrt(sigma^2_B + eps) [C]].
 * BATCH_NORM_BACKWARD: inputs {dz (x's shape), x, mean: mu_B, invStd: s, gamma};
 *   outputs [dL/dy, dL/dgamma, dL/dbeta].
 */
export const BATCH_NORM_FORWARD = 'NormLabBatchNormForward';
export const BATCH_NORM_BACKWARD = 'NormLabBatchNormBackward';

/** Whether the active backend runs batch norm's fused kernels for `y`. */
function fusedKernelsFor(y: tf.Tensor): boolean {
  const backend = tf.getBackend();
  return (
    y.rank >= 2 &&
    y.size > 0 &&
    y.dtype === 'float32' &&
    tf.getKernel(BATCH_NORM_FORWARD, backend) != null &&
    tf.getKernel(BATCH_NORM_BACKWARD, backend) != null
  );
}

/**
 * Train mode: normalize with the batch's mu_B and biased sigma^2_B (gradients flow through both).
 *
 * Forward and backward are written out (tf.customGrad) instead of left to autodiff, which would
 * record about twenty full-size elementwise ops per layer. With g = dL/dz, m elements per unit and
 * s = 1/sqrt(sigma^2_B + eps), the standard result is
 *
 *   dL/dbeta  = sum g,      dL/dgamma = sum g y_hat = s (sum g y - mu_B sum g),
 *   dL/dy     = gamma s (g - (1/m) dL/dbeta - y_hat (1/m) dL/dgamma)
 *             = a g + b y + c,   a = gamma s,  b = -a s dL/dgamma / m,  c = -a dL/dbeta / m - b mu_B,
 *
 * i.e. two reductions and one per-unit affine combination of g and y (gradCheck tests compare it with
 * finite differences). A backend with the fused kernels (BATCH_NORM_FORWARD) computes the same in
 * two reading passes and one writing pass each way; the tape, the statistics and the saved tensors
 * are the same either way.
 */
export function batchNormTrain(y: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): NormOutput {
  const axes = unitAxes(y);
  const m = elementsPerUnit(y);
  const fused = fusedKernelsFor(y);
  let stats: NormStats | undefined;
  const keepStats = (mean: tf.Tensor, variance: tf.Tensor): void => {
    // Ops inside a custom gradient are not on the tape; the statistics leave through `stats`.
    stats = {
      mean: tf.keep(mean) as tf.Tensor1D,
      scale: tf.keep(variance) as tf.Tensor1D,
      unbiasFactor: m > 1 ? m / (m - 1) : 1,
    };
  };
  const fusedForward = (x: tf.Tensor, g1: tf.Tensor, b1: tf.Tensor, save: tf.GradSaveFunc) => {
    const [z, mean, variance, s] = tf
      .engine()
      .runKernel(BATCH_NORM_FORWARD, { x, gamma: g1, beta: b1 }, { epsilon: eps }) as tf.Tensor[] as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    keepStats(mean, variance);
    save([x, mean, s, g1]);
    return {
      value: z,
      gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, inv, gam] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return tf
          .engine()
          .runKernel(BATCH_NORM_BACKWARD, { dz, x: xs, mean: mu, invStd: inv, gamma: gam }) as tf.Tensor[];
      },
    };
  };
  const forward = (x: tf.Tensor, g1: tf.Tensor, b1: tf.Tensor, save: tf.GradSaveFunc) => {
    // Sums, not tf.moments: wasm's Mean over the leading axes is a slow scalar loop, while Sum runs on
    // NormLab's fast path (backends/wasm/sum.ts). Two-pass variance, as moments computes it.
    const mean = tf.div(tf.sum(x, axes), m);
    const variance = tf.div(tf.sum(tf.square(tf.sub(x, mean)), axes), m);
    keepStats(mean, variance);
    const s = tf.rsqrt(tf.add(variance, eps));
    save([x, mean, s, g1]);
    // z = gamma s (y - mu) + beta as one per-unit affine map y * k + o (two broadcast ops; wasm's
    // FusedBatchNorm kernel is slower than both together).
    const k = tf.mul(g1, s);
    return {
      value: tf.add(tf.mul(x, k), tf.sub(b1, tf.mul(mean, k))),
      gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, inv, gam] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const dBeta = tf.sum(dz, axes);
        const dGamma = tf.mul(tf.sub(tf.sum(tf.mul(dz, xs), axes), tf.mul(mu, dBeta)), inv);
        const a = tf.mul(gam, inv);
        const b = tf.div(tf.mul(tf.neg(tf.mul(a, inv)), dGamma), m);
        const c = tf.sub(tf.div(tf.neg(tf.mul(a, dBeta)), m), tf.mul(b, mu));
        const dy = tf.add(tf.add(tf.mul(dz, a), tf.mul(xs, b)), c);
        return [dy, dGamma, dBeta];
      },
    };
  };
  const out = tf.customGrad(
    (fused ? fusedForward : forward) as unknown as Parameters<typeof tf.customGrad<tf.Tensor>>[0],
  )(y, gamma, beta);
  return { out, stats: stats as NormStats };
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
