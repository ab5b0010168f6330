import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cifar10Batches } from '../../../../src/main/engine/data/cifar10Batches';
import { readCifar10 } from '../../../../src/main/engine/data/cifar10Reader';
import { standardizeImages } from '../../../../src/main/engine/data/standardization';
import { REAL_CIFAR10_DIR } from './cifar10Fixtures';

/** Bitwise equality of two typed arrays (much faster than toEqual on 400k elements). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('Cifar10Batches', () => {
  const data = readCifar10(REAL_CIFAR10_DIR, { testLimit: 1000 });
  const batches = new Cifar10Batches(data, { seed: 42, batchSize: 128 });

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('returns standardized NHWC pixels and one-hot labels of the step batch', () => {
    const { x, y } = batches.batchAt(3);
    expect(x.shape).toEqual([128, 32, 32, 3]);
    expect(x.dtype).toBe('float32');
    expect(y.shape).toEqual([128, 10]);
    const indices = batches.batcher.indicesAt(3);
    const pixels = x.dataSync();
    const onehot = y.dataSync();
    for (const b of [0, 77, 127]) {
      const i = indices[b] ?? NaN;
      const expected = standardizeImages(data.train.images.subarray(i * 3072, (i + 1) * 3072), batches.stats);
      expect(sameBytes(pixels.subarray(b * 3072, (b + 1) * 3072), expected)).toBe(true);
      const row = [...onehot.subarray(b * 10, b * 10 + 10)];
      expect(row.indexOf(1)).toBe(data.train.labels[i]);
      expect(row.reduce((s, v) => s + v, 0)).toBe(1);
    }
    expect([...batches.labelsOf('train', indices)].slice(0, 5)).toEqual(
      [...indices.slice(0, 5)].map((i) => data.train.labels[i]),
    );
    x.dispose();
    y.dispose();
  });

  it('is deterministic per (seed, step) and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const a = batches.batchAt(100);
    const b = new Cifar10Batches(data, { seed: 42, batchSize: 128 }).batchAt(100);
    expect(sameBytes(a.x.dataSync(), b.x.dataSync())).toBe(true);
    expect(sameBytes(a.y.dataSync(), b.y.dataSync())).toBe(true);
    for (const t of [a.x, a.y, b.x, b.y]) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives int32 labels when asked', () => {
    const indexed = new Cifar10Batches(data, { seed: 42, batchSize: 128, labels: 'index' });
    const { x, y } = indexed.batchAt(3);
    expect(y.dtype).toBe('int32');
    expect([...y.dataSync()]).toEqual([...batches.batcher.indicesAt(3)].map((i) => data.train.labels[i]));
    x.dispose();
    y.dispose();
  });

  it('augments deterministically per step, and standardizes without augmenting when off', () => {
    const augmented = new Cifar10Batches(data, {
      seed: 42,
      batchSize: 128,
      augment: { crop: true, flip: true },
    });
    const a = augmented.batchAt(7);
    const again = augmented.batchAt(7);
    const plain = batches.batchAt(7);
    expect(sameBytes(a.x.dataSync(), again.x.dataSync())).toBe(true);
    expect(sameBytes(a.x.dataSync(), plain.x.dataSync())).toBe(false);
    expect(sameBytes(a.y.dataSync(), plain.y.dataSync())).toBe(true);
    for (const t of [a.x, a.y, again.x, again.y, plain.x, plain.y]) t.dispose();
  });

  it('walks the test set in order with the training stats, last batch partial', () => {
    expect(batches.testBatchCount(300)).toBe(4);
    const last = batches.testBatchAt(3, 300);
    expect(last.x.shape).toEqual([100, 32, 32, 3]);
    const expected = standardizeImages(data.test.images.subarray(900 * 3072, 1000 * 3072), batches.stats);
    expect(sameBytes(last.x.dataSync(), expected)).toBe(true);
    expect(
      [...last.y.dataSync()].reduce<number[]>((labels, v, k) => (v === 1 ? [...labels, k % 10] : labels), []),
    ).toEqual([...data.test.labels.subarray(900, 1000)]);
    last.x.dispose();
    last.y.dispose();
    expect(() => batches.testBatchAt(4, 300)).toThrow(RangeError);
  });

  it('uses mean 0 / std 1 (plain [0, 1] pixels) when standardization is off', () => {
    const raw = new Cifar10Batches(data, { seed: 1, batchSize: 4, standardize: false });
    expect(raw.stats).toEqual({ mean: [0, 0, 0], std: [1, 1, 1] });
    const { x, y } = raw.testBatchAt(0, 1);
    expect(x.dataSync()[5]).toBeCloseTo((data.test.images[5] ?? NaN) / 255, 6);
    x.dispose();
    y.dispose();
  });

  it('builds a 128-batch in a few milliseconds (reported)', () => {
    const augmented = new Cifar10Batches(data, {
      seed: 42,
      batchSize: 128,
      augment: { crop: true, flip: true },
    });
    const time = (source: Cifar10Batches): number => {
      for (let s = 0; s < 5; s++) tf.dispose(Object.values(source.batchAt(s)));
      const steps = 40;
      const start = performance.now();
      for (let s = 0; s < steps; s++) tf.dispose(Object.values(source.batchAt(1000 + s)));
      return (performance.now() - start) / steps;
    };
    const augmentedMs = time(augmented);
    const plainMs = time(batches);
    console.log(
      `batchAt(128): ${plainMs.toFixed(2)} ms plain, ${augmentedMs.toFixed(2)} ms crop+flip (cpu backend)`,
    );
    // A bound loose enough for a loaded 2-core machine (about 2 ms idle, 30 ms seen under load), tight
    // enough to catch a per-example tensor or a per-element tfjs call; the measured figure is in the log.
    expect(plainMs).toBeLessThan(100);
    expect(augmentedMs).toBeLessThan(100);
  });
});
