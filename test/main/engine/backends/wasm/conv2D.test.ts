import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

describe('Conv2D on wasm', () => {
  it('agrees with cpu', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([2, 7, 5, 3], 1) as tf.Tensor4D;
      return [
        tf.conv2d(x, normal([3, 3, 3, 4], 2) as tf.Tensor4D, 1, 1),
        tf.conv2d(x, normal([2, 3, 3, 4], 3) as tf.Tensor4D, [2, 1], 'same'),
      ];
    });
  });

  it('refuses a numeric pad that tfjs would size wrongly (instead of writing past the output)', async () => {
    await setupWasmBackend();
    const x = normal([1, 7, 5, 3], 1) as tf.Tensor4D;
    const w = normal([3, 3, 3, 4], 2) as tf.Tensor4D;
    expect(() => tf.conv2d(x, w, [2, 1], 1)).toThrow(/pass the padding explicitly/);
    tf.dispose([x, w]);
  });
});
