import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LOSS_REDUCTIONS } from '../../../../src/shared/config';
import { lossFor } from '../../../../src/main/engine/losses/lossFor';
import {
  perSampleSquaredErrorSum,
  reducedSquaredError,
} from '../../../../src/main/engine/losses/squaredErrorLoss';
import { onCpuBackend, value } from './lossTestSetup';

onCpuBackend();

describe('DLN loss reductions', () => {
  // 3 samples of dimension 2; errors (1, 2), (2, 2), (0, 3): squared norms 5, 8, 9, total 22.
  const out = [1, 2, 3, 4, 0, 4];
  const target = [0, 0, 1, 2, 0, 1];

  it('sums, or averages over samples, or over every entry', () => {
    tf.tidy(() => {
      const o = tf.tensor2d(out, [3, 2]);
      const t = tf.tensor2d(target, [3, 2]);
      expect(value(reducedSquaredError('sum', o, t))).toBe(22);
      expect(value(reducedSquaredError('sample-mean', o, t))).toBeCloseTo(22 / 3, 5);
      expect(value(reducedSquaredError('element-mean', o, t))).toBeCloseTo(22 / 6, 5);
      // Evaluation sums each sample's own loss: ||e_i||^2, or ||e_i||^2 / dim for element-mean.
      expect(value(perSampleSquaredErrorSum('sum', o, t))).toBe(22);
      expect(value(perSampleSquaredErrorSum('sample-mean', o, t))).toBe(22);
      expect(value(perSampleSquaredErrorSum('element-mean', o, t))).toBeCloseTo(11, 5);
    });
  });

  it('lossFor trains on the configured reduction and keeps the sum by default', () => {
    tf.tidy(() => {
      const o = tf.tensor2d(out, [3, 2]);
      const t = tf.tensor2d(target, [3, 2]);
      expect(lossFor('dln-synthetic').name).toBe('sum-squared-error');
      const expected = { sum: 22, 'sample-mean': 22 / 3, 'element-mean': 22 / 6 };
      for (const reduction of LOSS_REDUCTIONS) {
        const loss = lossFor('dln-synthetic', reduction);
        expect(loss.name).toBe(`${reduction}-squared-error`);
        expect(value(loss.loss(o, t))).toBeCloseTo(expected[reduction], 5);
      }
      // Cross-entropy ignores the reduction.
      expect(lossFor('cifar10', 'sample-mean').name).toBe('softmax-cross-entropy');
    });
  });

  it('leaves no tensors behind', () => {
    const o = tf.tensor2d(out, [3, 2]);
    const t = tf.tensor2d(target, [3, 2]);
    const before = tf.memory().numTensors;
    for (const r of LOSS_REDUCTIONS) {
      reducedSquaredError(r, o, t).dispose();
      perSampleSquaredErrorSum(r, o, t).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([o, t]);
  });
});
