import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

describe('the ReLU gradient', () => {
  it('agrees between wasm (fused kernel) and cpu (tfjs-core formula)', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = tf.concat([normal([40], 1), tf.zeros([3])]);
      const r = normal([43], 2);
      return [tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.relu(xv), r)))(x)];
    });
  });

  it('is dy where x > 0 and 0 elsewhere, NaN for NaN, on wasm', async () => {
    await setupWasmBackend();
    const x = tf.tensor1d([-2, 0, 3, NaN]);
    const g = tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.relu(xv), tf.tensor1d([5, 6, 7, 8]))))(x);
    const v = Array.from(g.dataSync());
    expect(v.slice(0, 3)).toEqual([0, 0, 7]);
    expect(Number.isNaN(v[3])).toBe(true);
    tf.dispose([x, g]);
  });
});
