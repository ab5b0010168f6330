/**
 * The task of an experiment: its data source (already resolved to a folder by the runs layer) and
 * the loss of its protocol (PAPER.md section 2).
 */
import type { ExperimentConfig } from '../../../shared/config';
import { createDataSource } from '../data/dataSource';
import { lossFor } from '../losses/lossFor';
import type { Batch, Task } from './task';

export function createTask(config: ExperimentConfig): Task {
  const { data, schedule, seed } = config;
  // Class indices (int32 [B]): what the losses take (losses/crossEntropy.ts).
  const source = createDataSource(data, {
    seed,
    batchSize: schedule.batchSize,
    dir: data.dir,
    labels: 'index',
  });
  const loss = lossFor(data.dataset, data.lossReduction);
  const testBatchSize = schedule.testBatchSize;
  const image = data.dataset === 'cifar10';
  return {
    kind: loss.kind,
    inputShape: image ? [32, 32, 3] : [data.dim],
    outputSize: image ? 10 : data.dim,
    batchSize: source.batcher.batchSize,
    trainSize: source.trainCount,
    testSize: source.testCount,
    hasTestSet: source.testCount > 0,
    // The trainer counts steps from 1; the data source's batches from 0.
    trainBatch: (step) => source.batchAt(step - 1),
    *testBatches(): Generator<Batch> {
      const n = source.testBatchCount(testBatchSize);
      for (let i = 0; i < n; i++) yield source.testBatchAt(i, testBatchSize);
    },
    loss: (output, y) => loss.loss(output, y),
    lossSum: (output, y) => loss.lossSum(output, y),
    ...(loss.correct ? { correct: loss.correct } : {}),
    describe: () => ({ dataset: data.dataset, ...source.describe() }),
  };
}
