/**
 * A task couples a dataset with its loss: what the trainer needs to draw minibatches, compute the loss
 * and evaluate, independent of where the data came from.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

export interface Task {
  readonly kind: 'classification' | 'regression';
  readonly inputShape: readonly number[];
  readonly outputSize: number;
  /** Examples per training step (the whole training set for full-batch protocols). */
  readonly batchSize: number;
  readonly trainSize: number;
  /** Examples in the test set; 0 when there is none. */
  readonly testSize: number;
  readonly hasTestSet: boolean;
  /** Minibatch of global step k (1-based); a pure function of (seed, k). The caller disposes it. */
  trainBatch(step: number): Batch;
  /** The test set in fixed order, batch by batch; each batch is disposed by the caller. */
  testBatches(): Iterable<Batch>;
  /** Scalar loss of a batch of network outputs, as the protocol defines it (PAPER.md section 2). */
  loss(output: tf.Tensor2D, y: tf.Tensor): tf.Scalar;
  /** Sum of per-example losses, for averaging over an evaluation set. */
  lossSum(output: tf.Tensor2D, y: tf.Tensor): tf.Scalar;
  /** Number of correct predictions in the batch (classification only). */
  correct?(output: tf.Tensor2D, y: tf.Tensor): tf.Scalar;
  /** Facts worth storing with the run (dataset sizes, standardization statistics, ...). */
  describe(): Record<string, unknown>;
}
