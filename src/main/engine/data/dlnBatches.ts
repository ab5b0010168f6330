/**
 * Batches of the synthetic DLN task (dlnTask.ts). The paper's protocol is full-batch gradient
 * descent (batch size >= samples: every step is all samples, in order); a smaller batch size gives
 * seeded minibatches from the same Batcher as CIFAR-10. There is no test set.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, DataSource } from './batch';
import { Batcher } from './batcher';
import type { DlnTask } from './dlnTask';

export class DlnBatches implements DataSource {
  readonly dataset = 'dln-synthetic';
  readonly batcher: Batcher;
  readonly testCount = 0;

  constructor(
    readonly task: DlnTask,
    seed: number,
    batchSize: number,
  ) {
    this.batcher = new Batcher(task.samples, batchSize, seed);
  }

  get trainCount(): number {
    return this.task.samples;
  }

  batchAt(step: number): Batch {
    const indices = this.batcher.indicesAt(step);
    const { dim } = this.task;
    if (this.batcher.fullBatch) {
      return {
        x: tf.tensor2d(this.task.x.slice(), [this.task.samples, dim], 'float32'),
        y: tf.tensor2d(this.task.y.slice(), [this.task.samples, dim], 'float32'),
      };
    }
    const x = new Float32Array(indices.length * dim);
    const y = new Float32Array(indices.length * dim);
    for (let b = 0; b < indices.length; b++) {
      const src = (indices[b] ?? 0) * dim;
      x.set(this.task.x.subarray(src, src + dim), b * dim);
      y.set(this.task.y.subarray(src, src + dim), b * dim);
    }
    return {
      x: tf.tensor2d(x, [indices.length, dim], 'float32'),
      y: tf.tensor2d(y, [indices.length, dim], 'float32'),
    };
  }

  describe(): Record<string, unknown> {
    const { samples, dim } = this.task;
    return { dataset: this.dataset, samples, dim, batchSize: this.batcher.batchSize };
  }

  testBatchCount(): number {
    return 0;
  }

  testBatchAt(index: number): Batch {
    throw new RangeError(`the DLN task has no test set (asked for test batch ${index})`);
  }
}
