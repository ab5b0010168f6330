/**
 * What the trainer consumes: the batch of a global step, and the test set in fixed order.
 * Tensors returned belong to the caller, who disposes them.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { DatasetName } from '../../../shared/config';
import type { Batcher } from './batcher';

export interface Batch {
  /** CIFAR-10: float32 [B, 32, 32, 3], standardized (and augmented if asked). DLN: float32 [B, dim]. */
  x: tf.Tensor;
  /** CIFAR-10: one-hot float32 [B, 10] or int32 [B] labels. DLN: float32 [B, dim] targets A x. */
  y: tf.Tensor;
}

export interface DataSource {
  readonly dataset: DatasetName;
  readonly trainCount: number;
  /** 0 when the task has no test set (DLN). */
  readonly testCount: number;
  /** The step -> example indices map (seeded, resumable; see batcher.ts). */
  readonly batcher: Batcher;
  /** The training batch of global step `step`, a function of (seed, step) only. */
  batchAt(step: number): Batch;
  /** Test batches of `batchSize` in file order; the last one holds the remainder (no example dropped). */
  testBatchCount(batchSize: number): number;
  testBatchAt(index: number, batchSize: number): Batch;
  /** Facts to store with the run: sizes, batching, and for CIFAR-10 the standardization stats. */
  describe(): Record<string, unknown>;
}

/** [start, end) of test batch `index`: every example once, in order, the last batch possibly smaller. */
export function testRange(count: number, index: number, batchSize: number): [number, number] {
  const batches = Math.ceil(count / batchSize);
  if (!Number.isInteger(index) || index < 0 || index >= batches) {
    throw new RangeError(`test batch ${index} out of range 0..${batches - 1}`);
  }
  return [index * batchSize, Math.min(count, (index + 1) * batchSize)];
}
