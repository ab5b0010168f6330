import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { noisyBatchNormSchema } from '../../../../src/shared/config';
import { batchNormTrain } from '../../../../src/main/engine/norms/batchNorm';
import {
  applyNoise,
  drawAlgorithm1Noise,
  makeAlgorithm1Noise,
} from '../../../../src/main/engine/norms/noisyBatchNorm';
import { expectGradientsMatch, gradCheck, normal } from './gradCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const PAPER = noisyBatchNormSchema.parse({});

function meanVar(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += ((xs[i] as number) - mean) ** 2;
  return { mean, variance: v / xs.length };
}

function extent(xs: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    min = Math.min(min, xs[i] as number);
    max = Math.max(max, xs[i] as number);
  }
  return { min, max };
}

describe('Algorithm 1 noise', () => {
  const UNITS = 2000;
  const ROWS = 100;

  it('draws mu_j ~ U(-.5,.5), sigma_j ~ U(1,1.25) per unit and m, s per element', () => {
    const d = drawAlgorithm1Noise(PAPER, 7, 3, [ROWS, UNITS]);
    const mu = d.mu.dataSync();
    const sigma = d.sigma.dataSync();
    const shift = d.shift.dataSync();
    const scale = d.scale.dataSync();
    expect(d.shift.shape).toEqual([ROWS, UNITS]);
    expect(d.scale.shape).toEqual([ROWS, UNITS]);

    const m = meanVar(mu);
    expect(Math.abs(m.mean)).toBeLessThan(0.03); // sd of the mean: sqrt(1/12/2000) = 0.0065
    expect(m.variance).toBeGreaterThan((1 / 12) * 0.9);
    expect(m.variance).toBeLessThan((1 / 12) * 1.1);
    expect(extent(mu).min).toBeGreaterThanOrEqual(-0.5);
    expect(extent(mu).max).toBeLessThanOrEqual(0.5);

    const s = meanVar(sigma);
    expect(extent(sigma).min).toBeGreaterThanOrEqual(1);
    expect(extent(sigma).max).toBeLessThanOrEqual(1.25);
    expect(s.mean).toBeCloseTo(1.125, 2);
    expect(s.variance).toBeCloseTo(0.25 ** 2 / 12, 3);

    const jitter = new Float64Array(shift.length);
    const spread = new Float64Array(scale.length);
    for (let i = 0; i < shift.length; i++) {
      const j = i % UNITS;
      jitter[i] = (shift[i] as number) - (mu[j] as number);
      spread[i] = (scale[i] as number) - (sigma[j] as number);
    }
    // m - mu_j ~ U(-0.1, 0.1): bounded, mean 0, variance 0.2^2/12.
    expect(extent(jitter).min).toBeGreaterThanOrEqual(-0.1 - 1e-6);
    expect(extent(jitter).max).toBeLessThanOrEqual(0.1 + 1e-6);
    expect(extent(jitter).max).toBeGreaterThan(0.099);
    const jm = meanVar(jitter);
    expect(Math.abs(jm.mean)).toBeLessThan(1e-3);
    expect(jm.variance).toBeCloseTo(0.04 / 12, 4);
    // s - sigma_j ~ N(0, 0.1^2): 0.1 is the standard deviation.
    const sm = meanVar(spread);
    expect(Math.abs(sm.mean)).toBeLessThan(1e-3);
    expect(Math.sqrt(sm.variance)).toBeGreaterThan(0.098);
    expect(Math.sqrt(sm.variance)).toBeLessThan(0.102);
    // Every element of a unit shares that unit's mu_j: the per-unit mean of m is mu_j.
    const perUnit = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.mean(d.shift, 0), d.mu))).dataSync()[0] as number);
    expect(perUnit).toBeLessThan(0.03);
    for (const t of [d.mu, d.sigma, d.shift, d.scale]) t.dispose();
  });

  it('draws per element over N, H, W for conv activations and honours the constants', () => {
    const cfg = { meanRange: 2, sigmaLow: 3, sigmaHigh: 3, meanJitter: 0, sigmaStd: 0 };
    const d = drawAlgorithm1Noise(cfg, 1, 1, [2, 3, 3, 4]);
    tf.tidy(() => {
      expect(d.scale.shape).toEqual([2, 3, 3, 4]);
      // No jitter: every element equals its unit's (mu_j, sigma_j).
      expect(tf.max(tf.abs(tf.sub(d.shift, d.mu))).dataSync()[0]).toBe(0);
      expect(Array.from(d.scale.dataSync()).every((v) => v === 3)).toBe(true);
      expect(extent(d.mu.dataSync()).max).toBeLessThanOrEqual(2);
      expect(extent(d.mu.dataSync()).min).toBeGreaterThanOrEqual(-2);
    });
    for (const t of [d.mu, d.sigma, d.shift, d.scale]) t.dispose();
  });

  it('is deterministic per (seed, layer) and differs across seeds and layers', () => {
    tf.tidy(() => {
      const a = makeAlgorithm1Noise(PAPER, 42)(2, [8, 5]);
      const b = makeAlgorithm1Noise(PAPER, 42)(2, [8, 5]);
      const otherSeed = makeAlgorithm1Noise(PAPER, 43)(2, [8, 5]);
      const otherLayer = makeAlgorithm1Noise(PAPER, 42)(3, [8, 5]);
      expect(Array.from(a.scale.dataSync())).toEqual(Array.from(b.scale.dataSync()));
      expect(Array.from(a.shift.dataSync())).toEqual(Array.from(b.shift.dataSync()));
      expect(Array.from(a.shift.dataSync())).not.toEqual(Array.from(otherSeed.shift.dataSync()));
      expect(Array.from(a.shift.dataSync())).not.toEqual(Array.from(otherLayer.shift.dataSync()));
    });
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    const n = makeAlgorithm1Noise(PAPER, 5)(1, [4, 3]);
    expect(tf.memory().numTensors).toBe(before + 2);
    n.scale.dispose();
    n.shift.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('noisy batch norm gradients', () => {
  it('with the noise held fixed, match central differences for input, gamma and beta', () => {
    tf.tidy(() => {
      const shape = [4, 2, 2, 3];
      const noise = makeAlgorithm1Noise(PAPER, 9)(1, shape);
      const y = normal(shape, 31, 0.5, 2);
      const gamma = normal([3], 32, 1, 0.3);
      const beta = normal([3], 33);
      const r = normal(shape, 34);
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(r, applyNoise(batchNormTrain(a, g, b, 1e-5).out, noise)));
      expectGradientsMatch(gradCheck(f, [y, gamma, beta], 1e-2));
      // The noise scales the BN output elementwise: a -> s*a + m, after gamma and beta.
      const bn = batchNormTrain(y, gamma, beta, 1e-5).out;
      const expected = tf.add(tf.mul(noise.scale, bn), noise.shift);
      expect(tf.max(tf.abs(tf.sub(applyNoise(bn, noise), expected))).dataSync()[0]).toBe(0);
    });
  });
});
