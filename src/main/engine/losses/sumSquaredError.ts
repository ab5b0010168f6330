/**
 * The deep-linear-network loss of PAPER.md section 2: the SUM over samples (not the mean) of
 *
 *   ||W_25 ... W_1 x - A x||^2,
 *
 * with `target` = A x computed by the task. Its starting value is about 4e4 for 1,000 samples.
 */
import * as tf from '@tensorflow/tfjs-core';

export function sumSquaredError(output: tf.Tensor2D, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(output, target))));
}
