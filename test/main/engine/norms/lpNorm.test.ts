import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LpNormConfig } from '../../../../src/shared/config';
import { lpNormEval, lpNormOf, lpNormTrain, type LpOrder } from '../../../../src/main/engine/norms/lpNorm';
import { normalizeTrain } from '../../../../src/main/engine/norms/normalization';
import { expectGradientsMatch, gradCheck, normal } from './gradCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EPS = 1e-5;

/**
 * Values kept at least 0.3 away from 0 (|y| has a kink there) and, per unit, one entry of magnitude
 * >= 3.5 while all others stay below 3 (so max|y| has no tie within a finite-difference step).
 */
function awayFromKinks(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const u = normal(shape, seed);
    const y = tf.mul(tf.sign(u), tf.add(0.3, tf.minimum(tf.abs(u), 2.5)));
    const units = shape[shape.length - 1] as number;
    const rows = y.size / units;
    const spike = tf.buffer([rows, units]);
    for (let j = 0; j < units; j++) spike.set(j % 2 === 0 ? 4 : -3.7, (j * 3) % rows, j);
    const mask = tf.notEqual(spike.toTensor(), 0);
    return tf.reshape(tf.where(mask, spike.toTensor(), tf.reshape(y, [rows, units])), shape);
  });
}

describe('lp normalization', () => {
  for (const p of [1, 2, 'inf'] as LpOrder[]) {
    for (const shape of [
      [4, 2, 2, 3],
      [6, 3],
    ]) {
      it(`p=${p}: gradients match central differences for input, gamma and beta (${shape.join('x')})`, () => {
        tf.tidy(() => {
          const y = awayFromKinks(shape, 21);
          const gamma = normal([3], 22, 1, 0.3);
          const beta = normal([3], 23);
          const r = normal(shape, 24);
          const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
            tf.sum(tf.mul(r, lpNormTrain(a, g, b, p, EPS).out));
          expectGradientsMatch(gradCheck(f, [y, gamma, beta], 1e-2));
        });
      });
    }
  }

  const VARIANTS: LpNormConfig[] = [
    { centered: false, averaged: true },
    { centered: true, averaged: false },
    { centered: false, averaged: false },
  ];
  for (const lp of VARIANTS) {
    for (const p of [1, 2, 'inf'] as LpOrder[]) {
      it(`p=${p}, centred ${lp.centered}, averaged ${lp.averaged}: gradients match central differences`, () => {
        tf.tidy(() => {
          const shape = [4, 2, 2, 3];
          const y = awayFromKinks(shape, 31);
          const gamma = normal([3], 32, 1, 0.3);
          const beta = normal([3], 33);
          const r = normal(shape, 34);
          const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
            tf.sum(tf.mul(r, lpNormTrain(a, g, b, p, EPS, lp).out));
          expectGradientsMatch(gradCheck(f, [y, gamma, beta], 1e-2));
        });
      });
    }
  }

  it('summed N_p drops the 1/m; uncentred drops the mean (by hand)', () => {
    tf.tidy(() => {
      // One unit: y = 1, -2, 3, 6; sum |y| = 12, sum y^2 = 50, max |y| = 6, mean 2.
      const y = tf.tensor2d([1, -2, 3, 6], [4, 1]);
      expect(lpNormOf(y, 1, false).dataSync()[0]).toBeCloseTo(12, 5);
      expect(lpNormOf(y, 2, false).dataSync()[0]).toBeCloseTo(Math.sqrt(50), 5);
      expect(lpNormOf(y, 'inf', false).dataSync()[0]).toBeCloseTo(6, 6);
      const g = tf.tensor1d([2]);
      const b = tf.tensor1d([0.5]);
      const cases: [LpNormConfig, LpOrder, number, number][] = [
        // [options, p, subtracted mean, N_p]
        [{ centered: false, averaged: true }, 2, 0, Math.sqrt(12.5)],
        [{ centered: true, averaged: false }, 1, 2, 12],
        [{ centered: false, averaged: false }, 2, 0, Math.sqrt(50)],
        [{ centered: false, averaged: false }, 'inf', 0, 6],
      ];
      for (const [lp, p, mean, np] of cases) {
        const { out, stats } = lpNormTrain(y, g, b, p, EPS, lp);
        expect(stats.mean.dataSync()[0]).toBeCloseTo(mean, 6);
        expect(stats.scale.dataSync()[0]).toBeCloseTo(np, 5);
        const expected = [1, -2, 3, 6].map((v) => (2 * (v - mean)) / (np + EPS) + 0.5);
        Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
      }
    });
  });

  it('normalizeTrain passes the options to l1, l2 and linf, and the spec reading by default', () => {
    tf.tidy(() => {
      const y = tf.tensor2d([1, -2, 3, 6], [4, 1]);
      const g = tf.tensor1d([1]);
      const b = tf.tensor1d([0]);
      const lp = { centered: false, averaged: false };
      const direct = lpNormTrain(y, g, b, 2, EPS, lp).out.dataSync();
      expect(Array.from(normalizeTrain('l2', y, g, b, EPS, lp).out.dataSync())).toEqual(Array.from(direct));
      const spec = lpNormTrain(y, g, b, 1, EPS).out.dataSync();
      expect(Array.from(normalizeTrain('l1', y, g, b, EPS).out.dataSync())).toEqual(Array.from(spec));
    });
  });

  it('computes N_p on the uncentred values and centres by the mean', () => {
    tf.tidy(() => {
      // One unit: y = 1, -2, 3, 6 -> mean 2; N_1 = 12/4 = 3; N_2 = sqrt(50/4); N_inf = 6.
      const y = tf.tensor2d([1, -2, 3, 6], [4, 1]);
      expect(lpNormOf(y, 1).dataSync()[0]).toBeCloseTo(3, 6);
      expect(lpNormOf(y, 2).dataSync()[0]).toBeCloseTo(Math.sqrt(12.5), 5);
      expect(lpNormOf(y, 'inf').dataSync()[0]).toBeCloseTo(6, 6);
      const { out, stats } = lpNormTrain(y, tf.tensor1d([2]), tf.tensor1d([0.5]), 1, EPS);
      expect(stats.mean.dataSync()[0]).toBeCloseTo(2, 6);
      expect(stats.scale.dataSync()[0]).toBeCloseTo(3, 6);
      expect(stats.unbiasFactor).toBeUndefined();
      const expected = [1, -2, 3, 6].map((v) => (2 * (v - 2)) / (3 + EPS) + 0.5);
      Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    });
  });

  it('uses the running mean and N_p in eval mode', () => {
    tf.tidy(() => {
      const y = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const running = { mean: tf.tensor1d([1, -1]), scale: tf.tensor1d([2, 0.5]) };
      const out = lpNormEval(y, tf.tensor1d([1, 3]), tf.tensor1d([0, -1]), running, EPS);
      const expected = [0, (3 * 3) / (0.5 + EPS) - 1, 2 / (2 + EPS), (3 * 5) / (0.5 + EPS) - 1];
      Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    });
  });
});
