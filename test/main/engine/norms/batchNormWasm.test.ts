import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../src/main/engine/backends/wasm';
import {
  BATCH_NORM_BACKWARD,
  BATCH_NORM_FORWARD,
  batchNormTrain,
} from '../../../../src/main/engine/norms/batchNorm';
import { expectGradientsMatch, gradCheck, normal } from './gradCheck';

/** batchNormTrain's finite-difference checks (batchNorm.test.ts) on wasm, where its fused kernels run. */
beforeAll(async () => {
  await setupWasmBackend();
});

afterAll(() => {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

const EPS = 1e-5;

function weighted(r: tf.Tensor, fn: (y: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) {
  return (y: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(r, fn(y, g, b)));
}

describe('batchNormTrain gradients on wasm (fused kernels)', () => {
  it('run the fused kernels', async () => {
    const info = await tf.profile(() => {
      const f = weighted(normal([6, 3], 4), (a, g, b) => batchNormTrain(a, g, b, EPS).out);
      tf.dispose(tf.grads(f)([normal([6, 3], 1), tf.ones([3]), tf.zeros([3])]));
    });
    expect(info.kernelNames).toEqual(expect.arrayContaining([BATCH_NORM_FORWARD, BATCH_NORM_BACKWARD]));
  });

  for (const shape of [
    [4, 2, 2, 3],
    [6, 3],
    [3, 2, 2, 5],
    [5, 1],
  ]) {
    it(`match central differences for input, gamma and beta (shape ${shape.join('x')})`, () => {
      tf.tidy(() => {
        const c = shape[shape.length - 1] as number;
        const y = normal(shape, 1, 0.5, 2);
        const gamma = normal([c], 2, 1, 0.3);
        const beta = normal([c], 3);
        const r = normal(shape, 4);
        const f = weighted(r, (a, g, b) => batchNormTrain(a, g, b, EPS).out);
        expectGradientsMatch(gradCheck(f, [y, gamma, beta], 1e-2));
      });
    });
  }
});
