import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema } from '../../../../src/shared/config';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { benchmarkTraining, type BenchSpec } from '../../../../src/main/engine/training/benchmark';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('benchmarkTraining', () => {
  // Batch 2, not the CLI's 128: the cpu backend's Conv2DBackpropFilter is a scalar JS loop (about
  // 1 s per image per vgg-tiny step on this machine). The figures' relations do not depend on it.
  const spec: BenchSpec = {
    network: 'vgg-tiny',
    normalization: 'batch',
    batchSize: 2,
    warmupSteps: 1,
    timedSteps: 1,
  };

  it('times training steps of a network and reports consistent figures, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await benchmarkTraining(spec);
    expect(tf.memory().numTensors).toBe(before);

    expect(r).toMatchObject(spec);
    expect(r.msPerStep).toBeGreaterThan(0);
    expect(Number.isFinite(r.msPerStep)).toBe(true);
    // images/s = 1000 B / (ms per step)
    expect(r.imagesPerSec).toBeCloseTo((1000 * spec.batchSize) / r.msPerStep, 9);
    // GFLOP/s = 3 x forward FLOPs per example x B / (ms per step) / 1e6 (forward + backward = 3 forward)
    const net = buildNetwork(modelSchema.parse({ network: 'vgg-tiny', normalization: 'batch' }), {
      inputShape: [32, 32, 3],
      outputSize: 10,
    });
    expect(r.gflops).toBeCloseTo((3 * net.flopsPerExample() * spec.batchSize) / r.msPerStep / 1e6, 9);
    expect(r.gflops).toBeGreaterThan(0);
  });

  it('counts the forward FLOPs of vgg-tiny as the PyTorch peer counts them (2 per multiply-add)', () => {
    const net = buildNetwork(modelSchema.parse({ network: 'vgg-tiny' }), {
      inputShape: [32, 32, 3],
      outputSize: 10,
    });
    // fwd_flops of torch_vgg_cpu.py for CFG [16, M, 32, M, 64, M] and Linear(64 * 4 * 4 -> 10).
    const conv = 32 * 32 * 3 * 16 * 9 + 16 * 16 * 16 * 32 * 9 + 8 * 8 * 32 * 64 * 9;
    expect(net.flopsPerExample()).toBe(2 * conv + 2 * 64 * 4 * 4 * 10);
  });
});
