import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { describe, expect, it } from 'vitest';
import { reluGradConfig } from '../../../../../src/main/engine/backends/wasm/reluGrad';
import { expectSameOnWasmAsCpu, normal, runOn } from './compareWithCpu';

describe('the ReLU gradient', () => {
  it('is installed and agrees between wasm and cpu', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = tf.concat([normal([40], 1), tf.zeros([3])]);
      const r = normal([43], 2);
      return [tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.relu(xv), r)))(x)];
    });
    expect(tf.getGradient(tf.Relu)).toBe(reluGradConfig);
  });

  it('is dy where x > 0, 0 where x <= 0 and NaN where x is NaN, as tfjs-core defines it', async () => {
    const [g] = await runOn('wasm', () => {
      const x = tf.tensor1d([-2, 0, 3, NaN]);
      return [tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.relu(xv), tf.tensor1d([5, 6, 7, 8]))))(x)];
    });
    expect(Array.from(g as Float32Array)).toEqual([0, 0, 7, NaN]);
  });

  it('handles an int32 x', async () => {
    await expectSameOnWasmAsCpu(() => [
      tf.grad((xv: tf.Tensor) => tf.sum(tf.relu(xv)))(tf.tensor1d([-1, 2, 0], 'int32')),
    ]);
  });
});
