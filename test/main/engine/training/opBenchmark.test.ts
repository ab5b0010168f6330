import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convFlops, type OpLayer, type OpTiming } from '../../../../src/shared/bench';
import { benchmarkOps, median, settle } from '../../../../src/main/engine/training/opBenchmark';
import { setupWasmBackend } from '../../../../src/main/engine/backends/wasm';

/** Two tiny 3x3 'same' convs, the first followed by a 2x2 pool: every op kind, a few ms in all. */
const LAYERS: OpLayer[] = [
  { index: 1, size: 4, inChannels: 2, outChannels: 3, pool: true },
  { index: 2, size: 2, inChannels: 3, outChannels: 5, pool: false },
];
const SPEC = { shapeSet: 'vgg-mini', batchSize: 2, warmup: 1, reps: 3 } as const;

function expectSaneTimings(timings: OpTiming[]): void {
  // Layer order, then the op order of a block; no dx on layer 1 (its input is data), no MaxPoolGrad
  // without a pool.
  expect(timings.map((t) => `${t.layer} ${t.op}`)).toEqual([
    '1 conv-forward',
    '1 conv-dw',
    '1 bias-grad',
    '1 bn',
    '1 relu-grad',
    '1 maxpool-grad',
    '2 conv-forward',
    '2 conv-dw',
    '2 conv-dx',
    '2 bias-grad',
    '2 bn',
    '2 relu-grad',
  ]);
  for (const t of timings) {
    expect(t.shapeSet).toBe('vgg-mini');
    expect(Number.isFinite(t.ms) && t.ms > 0).toBe(true);
    const layer = LAYERS[t.layer - 1] as OpLayer;
    if (t.op.startsWith('conv-')) {
      expect(t.shape).toBe(`2x${layer.size}x${layer.size}x${layer.inChannels}->${layer.outChannels}`);
      expect(t.gflops).toBeCloseTo(convFlops(layer, 2) / (t.ms * 1e6), 9);
    } else {
      expect(t.shape).toBe(`2x${layer.size}x${layer.size}x${layer.outChannels}`);
      expect(t.gflops).toBeUndefined();
    }
  }
}

describe('benchmarkOps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times each op of each layer on the cpu backend, reporting as it goes, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const seen: OpTiming[] = [];
    const r = await benchmarkOps(SPEC, LAYERS, (t) => seen.push(t));
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject(SPEC);
    expect(seen).toEqual(r.timings);
    expectSaneTimings(r.timings);
  });

  it('runs the kernels a training step runs: the conv gradients, Sum, MaxPoolGrad', async () => {
    const profile = await tf.profile(async () => {
      await benchmarkOps({ ...SPEC, warmup: 0, reps: 1 }, LAYERS);
    });
    const kernels = new Set(profile.kernelNames);
    for (const k of ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Sum', 'MaxPoolGrad', 'Step']) {
      expect(kernels.has(k), k).toBe(true);
    }
    // MaxPoolGrad is called directly: the pool's forward runs once per layer, outside the timing loop.
    expect(profile.kernels.filter((k) => k.name === 'MaxPool')).toHaveLength(1);
  });

  it('times the VGG16 sets on the convolutions only', async () => {
    const r = await benchmarkOps({ ...SPEC, shapeSet: 'vgg16-quarter', warmup: 0, reps: 1 }, LAYERS);
    expect(r.timings.map((t) => `${t.layer} ${t.op}`)).toEqual([
      '1 conv-forward',
      '1 conv-dw',
      '2 conv-forward',
      '2 conv-dw',
      '2 conv-dx',
    ]);
  });
});

describe('benchmarkOps on wasm (the registered training kernels)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times the same ops, leaking no tensors', async () => {
    await setupWasmBackend();
    const before = tf.memory().numTensors;
    const r = await benchmarkOps(SPEC, LAYERS);
    expect(tf.memory().numTensors).toBe(before);
    expectSaneTimings(r.timings);
  });

  it('waits for nothing on a synchronous backend: no Slice of the output inside the timing', async () => {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const y = tf.ones([128, 64]);
      const profile = await tf.profile(() => settle([y, y]));
      expect(profile.kernelNames, backend).toEqual([]);
      y.dispose();
    }
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, as Python statistics.median does', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});
