import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

describe('Sum on wasm agrees with cpu', () => {
  it('over leading axes (the bias gradient), with and without keepDims', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([3, 7, 5, 4], 1);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [1, 0]), tf.sum(x, 0, true), tf.sum(x, [0, 1, 2], true)];
    });
  });

  it('when the rows divide into the four-row sweeps exactly, and when fewer than four remain', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([8, 2, 2, 3], 3);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [0, 1]), tf.sum(normal([3, 5], 4), 0)];
    });
  });

  it('over other axes (the original kernel)', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([3, 7, 5, 4], 2);
      return [tf.sum(x), tf.sum(x, 3), tf.sum(x, [1, 3]), tf.sum(x, [0, 1, 2, 3])];
    });
  });
});
