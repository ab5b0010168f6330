import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { accuracy, correctCount } from '../../../../src/main/engine/losses/accuracy';
import { onCpuBackend, value } from './lossTestSetup';

onCpuBackend();

describe('accuracy', () => {
  it('counts argmax hits', () => {
    const logits = tf.tensor2d([1, 2, 3, 0, 5, 1, 2, 1, 0], [3, 3]);
    const labels = tf.tensor1d([2, 0, 0], 'int32');
    expect(value(correctCount(logits, labels))).toBe(2);
    expect(value(accuracy(logits, labels))).toBeCloseTo(2 / 3, 6);
    tf.dispose([logits, labels]);
  });
});
