/**
 * The deep-linear-network loss of PAPER.md section 2: the SUM over samples (not the mean) of
 *
 *   ||W_25 ... W_1 x - A x||^2,
 *
 * with `target` = A x computed by the task. Its starting value: A is independent of the network and
 * has mean 0, so E[loss] = m (dim^2 s_A^2 s_x^2 + E||f(x)||^2) for m samples, x ~ N(0, s_x^2 I) and
 * A_rc ~ N(0, s_A^2). Under the spec's reading (m = 1,000, dim = 10, s_x = s_A = 1) the target alone
 * gives 1e5; the Glorot-initialized network's own output adds a few thousand (dln25 seeds 0-7
 * measured: none 0.90e5 to 1.20e5, mean 1.02e5; batch 0.92e5 to 1.19e5, mean 1.03e5). It is not the
 * 3.5e4 to 4e4 at which the paper's DLN figures start: a mean reduction (data.lossReduction) gives
 * about 100, and s_A = 0.6 (data.targetStd, the `dln-paper-scale` reading of shared/readings.ts)
 * gives 3.3e4 to 4.9e4 (mean 3.9e4) without and 3.5e4 to 4.6e4 (mean 4.2e4) with batch norm.
 */
import * as tf from '@tensorflow/tfjs-core';

export function sumSquaredError(output: tf.Tensor2D, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(output, target))));
}
