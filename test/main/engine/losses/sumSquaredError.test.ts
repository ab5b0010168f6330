import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { sumSquaredError } from '../../../../src/main/engine/losses/sumSquaredError';
import { onCpuBackend, value } from './lossTestSetup';

onCpuBackend();

describe('DLN loss', () => {
  it('is the SUM over samples of squared errors, not the mean', () => {
    const out = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const target = tf.tensor2d([0, 0, 1, 1], [2, 2]);
    expect(value(sumSquaredError(out, target))).toBe(1 + 4 + 4 + 9);
    tf.dispose([out, target]);
  });
});
