/**
 * Central finite differences for gradient tests: df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / 2h, element
 * by element, compared with the analytic gradient tfjs back-propagates.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradient functions by itself; training and the probes differentiate networks.
import '../../../../src/main/engine/tf/registerGradients';
import { expect } from 'vitest';

export interface GradCheck {
  /** max_i |analytic_i - numeric_i| for each input. */
  maxError: number[];
  /** max_i |numeric_i| for each input (the scale the error is judged against). */
  scale: number[];
}

export function gradCheck(f: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[], h: number): GradCheck {
  const analytic = tf.tidy(() =>
    tf
      .grads(f)(xs)
      .map((g) => Array.from(g.dataSync())),
  );
  const values = xs.map((x) => Float32Array.from(x.dataSync()));
  const evalAt = (k: number, i: number, delta: number): number =>
    tf.tidy(() => {
      const v = Float32Array.from(values[k] as Float32Array);
      v[i] = (v[i] as number) + delta;
      const args = xs.map((x, j) => (j === k ? tf.tensor(v, x.shape) : x));
      return f(...args).dataSync()[0] as number;
    });
  const maxError: number[] = [];
  const scale: number[] = [];
  xs.forEach((x, k) => {
    let err = 0;
    let big = 0;
    for (let i = 0; i < x.size; i++) {
      const numeric = (evalAt(k, i, h) - evalAt(k, i, -h)) / (2 * h);
      err = Math.max(err, Math.abs(numeric - (analytic[k]?.[i] as number)));
      big = Math.max(big, Math.abs(numeric));
    }
    maxError.push(err);
    scale.push(big);
  });
  return { maxError, scale };
}

/**
 * Every input's gradient agrees with the finite differences to rtol * max|numeric| + atol. With
 * float32, h = 1e-2 and O(1) values the differences are good to ~1e-4; a wrong formula is off by O(1).
 */
export function expectGradientsMatch(check: GradCheck, rtol = 1e-3, atol = 5e-4): void {
  check.maxError.forEach((e, k) => expect(e).toBeLessThan(rtol * (check.scale[k] as number) + atol));
  check.scale.forEach((s) => expect(s).toBeGreaterThan(0.05));
}

/** A seeded N(mean, std) tensor. */
export function normal(shape: number[], seed: number, mean = 0, std = 1): tf.Tensor {
  return tf.randomNormal(shape, mean, std, 'float32', seed);
}
