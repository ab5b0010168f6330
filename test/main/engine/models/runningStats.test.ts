import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema } from '../../../../src/shared/config';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import {
  disposeStats,
  initRunningStats,
  updateRunningStats,
} from '../../../../src/main/engine/models/runningStats';
import type { NormStats, RunningStats } from '../../../../src/main/engine/norms/normStats';
import { batchNormTrain } from '../../../../src/main/engine/norms/batchNorm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MLP = (normalization: 'none' | 'batch' | 'l2') =>
  buildNetwork(modelSchema.parse({ network: 'mlp', hidden: [3, 2], normalization }), {
    inputShape: [4],
    outputSize: 2,
  });

describe('running estimates', () => {
  it('start at mean 0 and scale 1 for every normalized layer, none for a plain network', () => {
    const running = initRunningStats(MLP('batch'));
    expect([...running.keys()]).toEqual([1, 2]);
    expect(Array.from(running.get(1)?.mean.dataSync() ?? [])).toEqual([0, 0, 0]);
    expect(Array.from(running.get(2)?.scale.dataSync() ?? [])).toEqual([1, 1]);
    disposeStats(running);
    expect(initRunningStats(MLP('none')).size).toBe(0);
  });

  it('move by running <- (1 - m) running + m batch, keeping the unbiased BN variance', () => {
    const running = initRunningStats(MLP('batch'));
    const before = tf.memory().numTensors;
    // Unit values 1, 3 (mean 2, biased variance 1, unbiased 2) and 0, 4 (mean 2, biased 4, unbiased 8).
    const stats = tf.tidy(() => {
      const s = batchNormTrain(tf.tensor2d([1, 0, 3, 4], [2, 2]), tf.ones([2]), tf.zeros([2]), 1e-5).stats;
      return { ...s, mean: tf.keep(s.mean), scale: tf.keep(s.scale) };
    });
    expect(stats.unbiasFactor).toBe(2);
    const lp: NormStats = { mean: tf.tensor1d([1, 2, 3]), scale: tf.tensor1d([4, 5, 6]) };
    const next = updateRunningStats(
      running,
      new Map([
        [2, stats],
        [1, lp],
      ]),
      0.1,
    );
    expect(Array.from(next.get(2)?.mean.dataSync() ?? [])).toEqual(
      [0.2, 0.2].map((v) => expect.closeTo(v, 6)),
    );
    const scale = Array.from(next.get(2)?.scale.dataSync() ?? []);
    expect(scale[0]).toBeCloseTo(0.9 + 0.1 * 2, 5);
    expect(scale[1]).toBeCloseTo(0.9 + 0.1 * 8, 5);
    // lp statistics carry no unbias factor: N_p enters as is.
    expect(Array.from(next.get(1)?.scale.dataSync() ?? []).map((v) => +v.toFixed(5))).toEqual([
      1.3, 1.4, 1.5,
    ]);
    // Functional: the old estimates are untouched.
    expect(Array.from(running.get(2)?.scale.dataSync() ?? [])).toEqual([1, 1]);
    disposeStats(
      new Map([
        [1, lp],
        [2, stats],
      ]),
    );
    disposeStats(next);
    expect(tf.memory().numTensors).toBe(before);
    disposeStats(running);
  });

  it('copies layers without batch statistics and survives an enclosing tidy', () => {
    const running = initRunningStats(MLP('l2'));
    let next: RunningStats = new Map();
    tf.tidy(() => {
      next = updateRunningStats(running, new Map(), 0.5);
    });
    expect(next.get(1)?.mean).not.toBe(running.get(1)?.mean);
    expect(Array.from(next.get(1)?.scale.dataSync() ?? [])).toEqual([1, 1, 1]);
    const stray = { mean: tf.zeros([1]) as tf.Tensor1D, scale: tf.ones([1]) as tf.Tensor1D };
    expect(() => updateRunningStats(running, new Map([[7, stray]]), 0.1)).toThrow(/layer 7/);
    disposeStats(new Map([[7, stray]]));
    disposeStats(next);
    disposeStats(running);
  });
});
