import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { noisyBatchNormSchema } from '../../../../src/shared/config';
import { batchNormTrain } from '../../../../src/main/engine/norms/batchNorm';
import {
  ALGORITHM1_STREAMS,
  applyNoise,
  drawAlgorithm1Noise,
  makeAlgorithm1Noise,
} from '../../../../src/main/engine/norms/noisyBatchNorm';
import { fillNormals, fillUniforms, philoxKey } from '../../../../src/main/engine/rng/philox';
import { expectGradientsMatch, gradCheck, normal } from './gradCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const PAPER = noisyBatchNormSchema.parse({});
const GENERATORS = ['philox', 'alea'] as const;

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

describe.each(GENERATORS)('Algorithm 1 noise from %s', (generator) => {
  const UNITS = 2000;
  const ROWS = 100;
  const cfg = { ...PAPER, generator };

  it('draws mu_j ~ U(-.5,.5), sigma_j ~ U(1,1.25) per unit and m, s per element', () => {
    const d = drawAlgorithm1Noise(cfg, 7, 3, [ROWS, UNITS]);
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
    const constants = { meanRange: 2, sigmaLow: 3, sigmaHigh: 3, meanJitter: 0, sigmaStd: 0, generator };
    const d = drawAlgorithm1Noise(constants, 1, 1, [2, 3, 3, 4]);
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
      const a = makeAlgorithm1Noise(cfg, 42)(2, [8, 5]);
      const b = makeAlgorithm1Noise(cfg, 42)(2, [8, 5]);
      const otherSeed = makeAlgorithm1Noise(cfg, 43)(2, [8, 5]);
      const otherLayer = makeAlgorithm1Noise(cfg, 42)(3, [8, 5]);
      expect(Array.from(a.scale.dataSync())).toEqual(Array.from(b.scale.dataSync()));
      expect(Array.from(a.shift.dataSync())).toEqual(Array.from(b.shift.dataSync()));
      expect(Array.from(a.shift.dataSync())).not.toEqual(Array.from(otherSeed.shift.dataSync()));
      expect(Array.from(a.shift.dataSync())).not.toEqual(Array.from(otherLayer.shift.dataSync()));
    });
  });

  it("makeAlgorithm1Noise gives the draw's scale and shift", () => {
    const d = drawAlgorithm1Noise(cfg, 11, 2, [6, 7]);
    const n = makeAlgorithm1Noise(cfg, 11)(2, [6, 7]);
    expect(Array.from(n.scale.dataSync())).toEqual(Array.from(d.scale.dataSync()));
    expect(Array.from(n.shift.dataSync())).toEqual(Array.from(d.shift.dataSync()));
    tf.dispose([d.mu, d.sigma, d.scale, d.shift, n.scale, n.shift]);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    const n = makeAlgorithm1Noise(cfg, 5)(1, [4, 3]);
    expect(tf.memory().numTensors).toBe(before + 2);
    n.scale.dispose();
    n.shift.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the philox draw', () => {
  const cfg = { ...PAPER, generator: 'philox' as const };

  it('reads the streams of the key (seed, noise, layer) as the module comment says', () => {
    const [rows, units] = [6, 5];
    const d = drawAlgorithm1Noise(cfg, 19, 4, [rows, units]);
    const key = philoxKey(19, 'noise', 4);
    const unit = new Float64Array(2 * units);
    fillUniforms(unit, key, ALGORITHM1_STREAMS.unit);
    const u = new Float64Array(rows * units);
    fillUniforms(u, key, ALGORITHM1_STREAMS.shift);
    const z = new Float64Array(rows * units);
    fillNormals(z, key, ALGORITHM1_STREAMS.scale);
    const mu = d.mu.dataSync();
    const sigma = d.sigma.dataSync();
    const shift = d.shift.dataSync();
    const scale = d.scale.dataSync();
    for (let j = 0; j < units; j++) {
      expect(mu[j]).toBe(Math.fround(0.5 * (2 * (unit[2 * j] as number) - 1)));
      expect(sigma[j]).toBe(Math.fround(1 + 0.25 * (unit[2 * j + 1] as number)));
    }
    for (let i = 0; i < rows * units; i++) {
      const j = i % units;
      expect(shift[i]).toBeCloseTo((mu[j] as number) + 0.1 * (2 * (u[i] as number) - 1), 6);
      expect(scale[i]).toBeCloseTo((sigma[j] as number) + 0.1 * (z[i] as number), 6);
    }
    tf.dispose([d.mu, d.sigma, d.shift, d.scale]);
  });

  it("gives element i the same numbers whatever the batch size (a unit's numbers depend on j alone)", () => {
    const small = drawAlgorithm1Noise(cfg, 3, 1, [2, 2, 2, 6]);
    const large = drawAlgorithm1Noise(cfg, 3, 1, [5, 2, 2, 6]);
    const n = small.shift.size;
    expect(Array.from(small.shift.dataSync())).toEqual(Array.from(large.shift.dataSync().subarray(0, n)));
    expect(Array.from(small.scale.dataSync())).toEqual(Array.from(large.scale.dataSync().subarray(0, n)));
    const wider = drawAlgorithm1Noise(cfg, 3, 1, [2, 9]);
    expect(Array.from(wider.mu.dataSync().subarray(0, 6))).toEqual(Array.from(small.mu.dataSync()));
    expect(Array.from(wider.sigma.dataSync().subarray(0, 6))).toEqual(Array.from(small.sigma.dataSync()));
    tf.dispose([small, large, wider].flatMap((d) => [d.mu, d.sigma, d.shift, d.scale]));
  });

  it('differs from the alea draw of the same seed and layer', () => {
    tf.tidy(() => {
      const p = makeAlgorithm1Noise(cfg, 42)(2, [8, 5]);
      const a = makeAlgorithm1Noise({ ...cfg, generator: 'alea' }, 42)(2, [8, 5]);
      expect(Array.from(p.shift.dataSync())).not.toEqual(Array.from(a.shift.dataSync()));
      expect(Array.from(p.scale.dataSync())).not.toEqual(Array.from(a.scale.dataSync()));
    });
  });
});

describe('the alea draw', () => {
  it('is the draw stored runs were made with (values of the implementation before philox, commit cd695bc)', () => {
    const d = drawAlgorithm1Noise({ ...PAPER, generator: 'alea' }, 7, 3, [2, 3]);
    expect(Array.from(d.mu.dataSync())).toEqual([
      -0.19827428460121155, 0.14699658751487732, -0.1589641124010086,
    ]);
    expect(Array.from(d.sigma.dataSync())).toEqual([
      1.065007209777832, 1.0773956775665283, 1.2404389381408691,
    ]);
    expect(Array.from(d.shift.dataSync())).toEqual([
      -0.17784665524959564, 0.1885494589805603, -0.20835722982883453, -0.15926697850227356,
      0.16604198515415192, -0.12243123352527618,
    ]);
    expect(Array.from(d.scale.dataSync())).toEqual([
      1.2133183479309082, 0.8376643061637878, 1.2367011308670044, 1.2224594354629517, 1.2446471452713013,
      1.3836710453033447,
    ]);
    tf.dispose([d.mu, d.sigma, d.shift, d.scale]);
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
