/**
 * The DLN loss under each reading of data.lossReduction (config.ts LOSS_REDUCTIONS), for a batch of
 * m samples with errors e_i = output_i - target_i in R^dim:
 *
 *   sum:          sum_i ||e_i||^2                (PAPER.md section 2)
 *   sample-mean:  (1/m) sum_i ||e_i||^2
 *   element-mean: (1/(m dim)) sum_i ||e_i||^2    (PyTorch's MSELoss default)
 *
 * `lossSum` is the sum over samples of each sample's own loss (||e_i||^2, or ||e_i||^2 / dim for
 * element-mean), what evaluation averages over a set.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossReduction } from '../../../shared/config';
import { sumSquaredError } from './sumSquaredError';

export function reducedSquaredError(
  reduction: LossReduction,
  output: tf.Tensor2D,
  target: tf.Tensor,
): tf.Scalar {
  if (reduction === 'sum') return sumSquaredError(output, target);
  const [m, dim] = output.shape;
  const divisor = reduction === 'sample-mean' ? m : m * dim;
  return tf.tidy(() => tf.div(sumSquaredError(output, target), divisor));
}

export function perSampleSquaredErrorSum(
  reduction: LossReduction,
  output: tf.Tensor2D,
  target: tf.Tensor,
): tf.Scalar {
  if (reduction !== 'element-mean') return sumSquaredError(output, target);
  return tf.tidy(() => tf.div(sumSquaredError(output, target), output.shape[1]));
}
