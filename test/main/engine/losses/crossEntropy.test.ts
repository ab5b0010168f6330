import * as tf from '@tensorflow/tfjs-core';
import '../../../../src/main/engine/tf/registerGradients';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy, softmaxCrossEntropySum } from '../../../../src/main/engine/losses/crossEntropy';
import { onCpuBackend, value } from './lossTestSetup';

onCpuBackend();

describe('softmax cross-entropy', () => {
  it('is the mean of -log softmax(z)[y]', () => {
    const logits = tf.tensor2d([1, 2, 3, 0, 0, 0], [2, 3]);
    const labels = tf.tensor1d([2, 0], 'int32');
    // -log(e^3 / (e + e^2 + e^3)) = log(1 + e^-1 + e^-2); -log(1/3) = log 3.
    const [e0, e1] = [Math.log(1 + Math.exp(-1) + Math.exp(-2)), Math.log(3)];
    expect(value(softmaxCrossEntropy(logits, labels))).toBeCloseTo((e0 + e1) / 2, 6);
    expect(value(softmaxCrossEntropySum(logits, labels))).toBeCloseTo(e0 + e1, 6);
    tf.dispose([logits, labels]);
  });

  it('stays finite for huge logits', () => {
    const logits = tf.tensor2d([1000, 0, -1000, 0], [2, 2]);
    const labels = tf.tensor1d([0, 0], 'int32');
    // Losses 0 and 1000.
    expect(value(softmaxCrossEntropy(logits, labels))).toBeCloseTo(500, 3);
    tf.dispose([logits, labels]);
  });

  it('has gradient (softmax(z) - onehot(y)) / N', () => {
    const logits = tf.tensor2d([0.5, -1, 2, 0, 1, 0], [2, 3]);
    const labels = tf.tensor1d([1, 2], 'int32');
    const g = tf.grad((z: tf.Tensor) => softmaxCrossEntropy(z as tf.Tensor2D, labels))(logits);
    const rows = [
      [0.5, -1, 2],
      [0, 1, 0],
    ];
    const expected = rows.flatMap((z, n) => {
      const e = z.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v, k) => (v / s - (k === [1, 2][n] ? 1 : 0)) / 2);
    });
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
    tf.dispose([logits, labels, g]);
  });
});
