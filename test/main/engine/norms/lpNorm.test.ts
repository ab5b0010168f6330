import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { lpNormEval, lpNormOf, lpNormTrain, type LpOrder } from '../../../../src/main/engine/norms/lpNorm';
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
