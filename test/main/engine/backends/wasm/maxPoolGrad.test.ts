import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { describe, it } from 'vitest';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

/** dL/dx of L = sum(maxPool(x) * r); after a ReLU many windows tie at 0 (the first maximum wins). */
function poolGrad(filter: number, stride: number, pad: 'same' | 'valid', relu: boolean): () => tf.Tensor[] {
  return () => {
    const x0 = normal([3, 7, 5, 4], 1) as tf.Tensor4D;
    const x = relu ? tf.relu(x0) : x0;
    const y = tf.maxPool(x, filter, stride, pad);
    const r = normal(y.shape, 2);
    return [
      tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xv as tf.Tensor4D, filter, stride, pad), r)))(x),
    ];
  };
}

describe('MaxPoolGrad on wasm agrees with cpu', () => {
  for (const [filter, stride, pad] of [
    [2, 2, 'valid'],
    [2, 2, 'same'],
    [3, 2, 'same'],
    [3, 1, 'same'],
    [2, 1, 'valid'],
  ] as [number, number, 'same' | 'valid'][]) {
    for (const relu of [false, true]) {
      it(`filter ${filter}, stride ${stride}, ${pad}, ${relu ? 'after a ReLU (ties at 0)' : 'distinct values'}`, async () => {
        await expectSameOnWasmAsCpu(poolGrad(filter, stride, pad, relu));
      });
    }
  }

  it('ties between equal positive values go to the first maximum', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = tf.tensor4d([1, 3, 3, 2, 5, 5, 5, 5], [1, 2, 4, 1]);
      return [tf.grad((xv: tf.Tensor) => tf.sum(tf.maxPool(xv as tf.Tensor4D, 2, 2, 'valid')))(x)];
    });
  });
});
