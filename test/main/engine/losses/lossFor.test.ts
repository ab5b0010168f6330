import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lossFor } from '../../../../src/main/engine/losses/lossFor';
import { onCpuBackend, value } from './lossTestSetup';

onCpuBackend();

describe('lossFor', () => {
  it('picks cross-entropy for CIFAR-10 and the summed squared error for the DLN task', () => {
    const ce = lossFor('cifar10');
    expect(ce.name).toBe('softmax-cross-entropy');
    expect(ce.kind).toBe('classification');
    expect(ce.correct).toBeDefined();
    const dln = lossFor('dln-synthetic');
    expect(dln.name).toBe('sum-squared-error');
    expect(dln.kind).toBe('regression');
    expect(dln.correct).toBeUndefined();
    const out = tf.tensor2d([1, 2], [1, 2]);
    const target = tf.tensor2d([0, 0], [1, 2]);
    expect(value(dln.loss(out, target))).toBe(5);
    expect(value(dln.lossSum(out, target))).toBe(5);
    tf.dispose([out, target]);
  });

  it('leaves no tensors behind', () => {
    const logits = tf.tensor2d([1, 2, 3, 0, 0, 0], [2, 3]);
    const labels = tf.tensor1d([2, 0], 'int32');
    const before = tf.memory().numTensors;
    const ce = lossFor('cifar10');
    for (const t of [ce.loss(logits, labels), ce.lossSum(logits, labels), ce.correct?.(logits, labels)])
      t?.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, labels]);
  });
});
