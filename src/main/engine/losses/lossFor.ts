/**
 * The loss a task trains on (PAPER.md section 2): softmax cross-entropy for CIFAR-10 classification,
 * the summed squared error for the deep-linear-network regression task.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { DatasetName } from '../../../shared/config';
import { correctCount } from './accuracy';
import { softmaxCrossEntropy, softmaxCrossEntropySum } from './crossEntropy';
import { sumSquaredError } from './sumSquaredError';

export interface TaskLoss {
  readonly name: 'softmax-cross-entropy' | 'sum-squared-error';
  readonly kind: 'classification' | 'regression';
  /** The training objective of a batch. */
  loss(output: tf.Tensor2D, target: tf.Tensor): tf.Scalar;
  /** Sum of per-example losses, for averaging over an evaluation set. */
  lossSum(output: tf.Tensor2D, target: tf.Tensor): tf.Scalar;
  /** Correct predictions in the batch (classification only). */
  correct?(output: tf.Tensor2D, target: tf.Tensor): tf.Scalar;
}

const crossEntropy: TaskLoss = {
  name: 'softmax-cross-entropy',
  kind: 'classification',
  loss: softmaxCrossEntropy,
  lossSum: softmaxCrossEntropySum,
  correct: correctCount,
};

/** Per-example sum of squared errors: the DLN objective is already a sum over samples. */
const squaredError: TaskLoss = {
  name: 'sum-squared-error',
  kind: 'regression',
  loss: sumSquaredError,
  lossSum: sumSquaredError,
};

export function lossFor(dataset: DatasetName): TaskLoss {
  return dataset === 'cifar10' ? crossEntropy : squaredError;
}
