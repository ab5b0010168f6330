/**
 * The loss a task trains on (PAPER.md section 2): softmax cross-entropy for CIFAR-10 classification,
 * the squared error for the deep-linear-network regression task, reduced as data.lossReduction says
 * (the spec's reading: summed over samples).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { DatasetName, LossReduction } from '../../../shared/config';
import { correctCount } from './accuracy';
import { softmaxCrossEntropy, softmaxCrossEntropySum } from './crossEntropy';
import { perSampleSquaredErrorSum, reducedSquaredError } from './squaredErrorLoss';

export interface TaskLoss {
  readonly name:
    | 'softmax-cross-entropy'
    | 'sum-squared-error'
    | 'sample-mean-squared-error'
    | 'element-mean-squared-error';
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

function squaredError(reduction: LossReduction): TaskLoss {
  return {
    name: `${reduction}-squared-error`,
    kind: 'regression',
    loss: (output, target) => reducedSquaredError(reduction, output, target),
    lossSum: (output, target) => perSampleSquaredErrorSum(reduction, output, target),
  };
}

/** `reduction` applies to the regression task only (CIFAR-10's cross-entropy is a mean). */
export function lossFor(dataset: DatasetName, reduction: LossReduction = 'sum'): TaskLoss {
  return dataset === 'cifar10' ? crossEntropy : squaredError(reduction);
}
