import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataSchema } from '../../../../src/shared/config';
import { UserError } from '../../../../src/shared/errors';
import { createDataSource } from '../../../../src/main/engine/data/dataSource';
import { DlnBatches } from '../../../../src/main/engine/data/dlnBatches';
import { makeDlnTask } from '../../../../src/main/engine/data/dlnTask';
import { REAL_CIFAR10_DIR } from './cifar10Fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('DLN batches', () => {
  it('gives the full batch [N, dim] of x and y = A x at every step (the paper protocol)', () => {
    const source = createDataSource(dataSchema.parse({ dataset: 'dln-synthetic' }), {
      seed: 4,
      batchSize: 1000,
    });
    expect(source.dataset).toBe('dln-synthetic');
    expect(source.testCount).toBe(0);
    expect(source.testBatchCount(100)).toBe(0);
    expect(source.describe()).toEqual({ dataset: 'dln-synthetic', samples: 1000, dim: 10, batchSize: 1000 });
    const task = makeDlnTask(4, 1000, 10);
    const before = tf.memory().numTensors;
    for (const step of [0, 9999]) {
      const { x, y } = source.batchAt(step);
      expect(x.shape).toEqual([1000, 10]);
      expect(y.shape).toEqual([1000, 10]);
      expect(x.dataSync()).toEqual(task.x);
      expect(y.dataSync()).toEqual(task.y);
      x.dispose();
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives seeded minibatches of matching x and y rows when the batch is smaller', () => {
    const task = makeDlnTask(2, 100, 10);
    const source = new DlnBatches(task, 2, 16);
    const { x, y } = source.batchAt(11);
    expect(x.shape).toEqual([16, 10]);
    const row = source.batcher.indicesAt(11)[3] ?? NaN;
    expect(x.dataSync().subarray(30, 40)).toEqual(task.x.subarray(row * 10, row * 10 + 10));
    expect(y.dataSync().subarray(30, 40)).toEqual(task.y.subarray(row * 10, row * 10 + 10));
    x.dispose();
    y.dispose();
    expect(() => source.testBatchAt(0)).toThrow(RangeError);
  });
});

describe('createDataSource for CIFAR-10', () => {
  it('reads the configured folder and limits', () => {
    const config = dataSchema.parse({ dataset: 'cifar10', trainLimit: 256, testLimit: 100 });
    const source = createDataSource(config, { seed: 0, batchSize: 128, dir: REAL_CIFAR10_DIR });
    expect(source.trainCount).toBe(256);
    expect(source.testCount).toBe(100);
    expect(source.batcher.stepsPerEpoch).toBe(2);
    const facts = source.describe();
    expect(facts).toMatchObject({
      dataset: 'cifar10',
      train: 256,
      test: 100,
      batchSize: 128,
      stepsPerEpoch: 2,
    });
    const stats = facts.standardization as { mean: number[]; std: number[] };
    expect(stats.mean).toHaveLength(3);
    expect(stats.std.every((s) => s > 0.15 && s < 0.35)).toBe(true);
    const { x, y } = source.batchAt(0);
    expect(x.shape).toEqual([128, 32, 32, 3]);
    expect(y.shape).toEqual([128, 10]);
    x.dispose();
    y.dispose();
  });

  it('asks for a folder when none is configured', () => {
    const config = dataSchema.parse({ dataset: 'cifar10' });
    try {
      createDataSource(config, { seed: 0, batchSize: 128 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).code).toBe('data-missing');
      expect((e as UserError).message).toContain('normlab data get cifar10');
    }
  });
});
