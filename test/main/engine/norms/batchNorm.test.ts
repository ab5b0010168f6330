import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormEval, batchNormTrain } from '../../../../src/main/engine/norms/batchNorm';
import { expectGradientsMatch, gradCheck, normal } from './gradCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EPS = 1e-5;

/** A loss that weights every output differently, so no gradient vanishes by symmetry. */
function weighted(r: tf.Tensor, fn: (y: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) {
  return (y: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(r, fn(y, g, b)));
}

describe('batchNormTrain gradients', () => {
  for (const shape of [
    [4, 2, 2, 3],
    [6, 3],
  ]) {
    it(`match central differences for input, gamma and beta (shape ${shape.join('x')})`, () => {
      tf.tidy(() => {
        const y = normal(shape, 1, 0.5, 2);
        const gamma = normal([3], 2, 1, 0.3);
        const beta = normal([3], 3);
        const r = normal(shape, 4);
        const f = weighted(r, (a, g, b) => batchNormTrain(a, g, b, EPS).out);
        expectGradientsMatch(gradCheck(f, [y, gamma, beta], 1e-2));
      });
    });
  }

  it('would catch a formula that ignores the statistics path (negative control)', () => {
    tf.tidy(() => {
      const y = normal([6, 3], 1, 0.5, 2);
      const gamma = normal([3], 2, 1, 0.3);
      const beta = normal([3], 3);
      const r = normal([6, 3], 4);
      // The true BN as f, but its gradient taken through constant statistics.
      const { mean, variance } = tf.moments(y, [0]);
      const frozen = weighted(r, (a, g, b) =>
        tf.add(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, EPS))), g), b),
      );
      const truth = weighted(r, (a, g, b) => batchNormTrain(a, g, b, EPS).out);
      const analytic = tf.grads(frozen)([y, gamma, beta])[0] as tf.Tensor;
      const correct = tf.grads(truth)([y, gamma, beta])[0] as tf.Tensor;
      const gap = tf.max(tf.abs(tf.sub(analytic, correct))).dataSync()[0] as number;
      expect(gap).toBeGreaterThan(0.1 * (tf.max(tf.abs(correct)).dataSync()[0] as number));
      // ... and the finite differences side with the true gradient by a wide margin.
      const { maxError } = gradCheck(truth, [y, gamma, beta], 1e-2);
      expect(maxError[0]).toBeLessThan(gap / 100);
    });
  });
});

describe('batchNormTrain output', () => {
  it('has per-unit mean beta and variance gamma^2 (conv layout: statistics over N, H, W)', () => {
    tf.tidy(() => {
      const y = normal([8, 4, 4, 5], 11, 3, 2);
      const gamma = tf.tensor1d([0.5, 1, 2, -1.5, 3]);
      const beta = tf.tensor1d([-1, 0, 0.5, 2, 10]);
      const { out, stats } = batchNormTrain(y, gamma, beta, EPS);
      const { mean, variance } = tf.moments(out, [0, 1, 2]);
      const b = Array.from(beta.dataSync());
      Array.from(mean.dataSync()).forEach((m, j) => expect(m).toBeCloseTo(b[j] as number, 4));
      const g = Array.from(gamma.dataSync());
      Array.from(variance.dataSync()).forEach((v, j) => expect(v).toBeCloseTo((g[j] as number) ** 2, 2));
      expect(stats.mean.shape).toEqual([5]);
      expect(stats.unbiasFactor).toBeCloseTo(128 / 127, 10);
    });
  });

  it('returns the biased batch variance and mean as its statistics', () => {
    tf.tidy(() => {
      const values = [1, 2, 4, 7, -1, 0, 3, 3];
      const y = tf.tensor2d(values, [4, 2]);
      const { stats } = batchNormTrain(y, tf.ones([2]), tf.zeros([2]), EPS);
      // Unit 0: 1, 4, -1, 3 -> mean 7/4, biased variance mean((y - 7/4)^2) = 14.75 / 4.
      // Unit 1: 2, 7, 0, 3  -> mean 3, biased variance (1 + 16 + 9 + 0) / 4.
      expect(Array.from(stats.mean.dataSync())).toEqual([1.75, 3]);
      const v = Array.from(stats.scale.dataSync());
      expect(v[0]).toBeCloseTo(14.75 / 4, 5);
      expect(v[1]).toBeCloseTo(26 / 4, 5);
    });
  });
});

describe('batchNormEval', () => {
  it('normalizes with the running mean and variance, not the batch', () => {
    tf.tidy(() => {
      const y = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const running = { mean: tf.tensor1d([0.5, -1]), scale: tf.tensor1d([4, 0.25]) };
      const out = batchNormEval(y, tf.tensor1d([2, 1]), tf.tensor1d([0, 1]), running, EPS);
      const expected = [
        (2 * (1 - 0.5)) / Math.sqrt(4 + EPS),
        (2 + 1) / Math.sqrt(0.25 + EPS) + 1,
        (2 * (3 - 0.5)) / Math.sqrt(4 + EPS),
        (4 + 1) / Math.sqrt(0.25 + EPS) + 1,
      ];
      Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    });
  });
});
