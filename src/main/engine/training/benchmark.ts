/**
 * Training throughput of one network on the current backend, measured the way the PyTorch peer
 * (../shared/bench/torch_vgg_cpu.py) measures it: random inputs and labels, plain SGD, a few warm-up
 * steps, then the mean wall time of timed steps. Effective GFLOP/s counts forward + backward as 3x the
 * forward FLOPs (2 per multiply-add), as the peer does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { experimentSchema, type NetworkName, type NormalizationName } from '../../../shared/config';
import { buildNetwork } from '../models/network';
import { lossFor } from '../losses/lossFor';
import type { Task } from '../tasks/task';
import { TrainingState } from './trainingState';

export interface BenchSpec {
  network: NetworkName;
  normalization: NormalizationName;
  batchSize: number;
  warmupSteps: number;
  timedSteps: number;
}

export interface BenchResult extends BenchSpec {
  msPerStep: number;
  imagesPerSec: number;
  gflops: number;
}

export async function benchmarkTraining(spec: BenchSpec): Promise<BenchResult> {
  const config = experimentSchema.parse({
    model: { network: spec.network, normalization: spec.normalization },
    data: { dataset: 'cifar10' },
    optimizer: { name: 'sgd', lr: 0.05 },
    schedule: { steps: spec.warmupSteps + spec.timedSteps, batchSize: spec.batchSize },
  });
  const loss = lossFor('cifar10');
  const x = tf.randomNormal([spec.batchSize, 32, 32, 3], 0, 1, 'float32', 1);
  // Class indices, int32 [B]: the labels the cifar10 loss (softmaxCrossEntropy) takes.
  const labels = tf.randomUniform([spec.batchSize], 0, 10, 'int32', 2);
  const task: Task = {
    kind: 'classification',
    inputShape: [32, 32, 3],
    outputSize: 10,
    batchSize: spec.batchSize,
    trainSize: spec.batchSize,
    hasTestSet: false,
    trainBatch: () => ({ x: x.clone(), y: labels.clone() }),
    testBatches: () => [],
    loss: loss.loss,
    lossSum: loss.lossSum,
    describe: () => ({}),
  };
  const net = buildNetwork(config.model, { inputShape: [32, 32, 3], outputSize: 10 });
  const state = TrainingState.fresh(net, config);
  const step = async (): Promise<void> => {
    const out = tf.tidy(() => state.step_(x, labels, task, undefined));
    await out.data();
    out.dispose();
  };
  try {
    for (let i = 0; i < spec.warmupSteps; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < spec.timedSteps; i++) await step();
    const msPerStep = (performance.now() - t0) / spec.timedSteps;
    const flops = 3 * net.flopsPerExample() * spec.batchSize;
    return {
      ...spec,
      msPerStep,
      imagesPerSec: (1000 * spec.batchSize) / msPerStep,
      gflops: flops / (msPerStep * 1e6),
    };
  } finally {
    state.dispose();
    x.dispose();
    labels.dispose();
  }
}
