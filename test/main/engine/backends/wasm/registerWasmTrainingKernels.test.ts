import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { describe, expect, it } from 'vitest';
import {
  registerWasmTrainingKernels,
  setupWasmBackend,
  wasmTrainingKernelsRegistered,
} from '../../../../../src/main/engine/backends/wasm';
import {
  BATCH_NORM_BACKWARD,
  BATCH_NORM_FORWARD,
  batchNormTrain,
} from '../../../../../src/main/engine/norms/batchNorm';
import { expectClose, normal, runOn } from './compareWithCpu';

/**
 * A small conv net, L = CE(softmax(dense(flatten(pool(relu(conv(pool(relu(conv(x) + b1))) + b2)))))),
 * with its parameters as variables; returns [L, dL/dθ for every θ].
 */
function convNetGradients(): tf.Tensor[] {
  const x = normal([3, 8, 8, 3], 1) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([0, 3, 4], 'int32'), 5);
  const vars = [
    tf.variable(tf.mul(normal([3, 3, 3, 4], 2), 0.4)),
    tf.variable(tf.mul(normal([4], 3), 0.1)),
    tf.variable(tf.mul(normal([3, 3, 4, 6], 4), 0.3)),
    tf.variable(tf.mul(normal([6], 5), 0.1)),
    tf.variable(tf.mul(normal([24, 5], 6), 0.3)),
  ];
  const [w1, b1, w2, b2, w3] = vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const loss = (): tf.Scalar => {
    const block = (h: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor): tf.Tensor4D =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w as tf.Tensor4D, 1, 'same'), b)) as tf.Tensor4D, 2, 2, 'valid');
    const h2 = block(block(x, w1, b1), w2, b2);
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(h2, [3, 24]), w3)) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(loss, vars);
  const out = [value, ...vars.map((v) => grads[v.name] as tf.Tensor)];
  tf.dispose(vars);
  return out;
}

/**
 * The same with batch norm after each convolution (in place of its bias), as the networks train it:
 * L = CE(dense(flatten(pool(relu(BN(conv(pool(relu(BN(conv(x))))))))))); returns [L, the batch
 * statistics, dL/dθ for every θ].
 */
function bnNetGradients(): tf.Tensor[] {
  const x = normal([4, 8, 8, 3], 1) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([0, 3, 4, 1], 'int32'), 5);
  const vars = [
    tf.variable(tf.mul(normal([3, 3, 3, 5], 2), 0.4)),
    tf.variable(tf.add(tf.mul(normal([5], 3), 0.1), 1)),
    tf.variable(tf.mul(normal([5], 4), 0.1)),
    tf.variable(tf.mul(normal([3, 3, 5, 6], 5), 0.3)),
    tf.variable(tf.add(tf.mul(normal([6], 6), 0.1), 1)),
    tf.variable(tf.mul(normal([6], 7), 0.1)),
    tf.variable(tf.mul(normal([24, 5], 8), 0.3)),
  ];
  const [w1, g1, b1, w2, g2, b2, w3] = vars as tf.Variable[] as [
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
  ];
  const stats: tf.Tensor[] = [];
  const loss = (): tf.Scalar => {
    const block = (h: tf.Tensor4D, w: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor4D => {
      const bn = batchNormTrain(tf.conv2d(h, w as tf.Tensor4D, 1, 'same'), g, b, 1e-5);
      stats.push(bn.stats.mean, bn.stats.scale);
      return tf.maxPool(tf.relu(bn.out) as tf.Tensor4D, 2, 2, 'valid');
    };
    const h2 = block(block(x, w1, g1, b1), w2, g2, b2);
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(h2, [4, 24]), w3)) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(loss, vars);
  const out = [value, ...stats, ...vars.map((v) => grads[v.name] as tf.Tensor)];
  tf.dispose(vars);
  return out;
}

describe('the wasm training kernels', () => {
  it('give the same conv-net loss and gradients as cpu', async () => {
    const expected = await runOn('cpu', convNetGradients);
    const actual = await runOn('wasm', convNetGradients);
    expectClose(actual, expected);
  });

  it('give the same loss, batch statistics and gradients as cpu with batch norm', async () => {
    const expected = await runOn('cpu', bnNetGradients);
    const actual = await runOn('wasm', bnNetGradients);
    expectClose(actual, expected);
  });

  it('leak no tensors over repeated training steps', async () => {
    await setupWasmBackend();
    const step = (): void => tf.dispose([tf.tidy(convNetGradients), tf.tidy(bnNetGradients)]);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('register once: a second call keeps the installed kernels', async () => {
    await setupWasmBackend();
    expect(wasmTrainingKernelsRegistered()).toBe(true);
    const names = [
      tf.Conv2DBackpropFilter,
      tf.Conv2DBackpropInput,
      tf.BatchMatMul,
      tf.MaxPoolGrad,
      BATCH_NORM_FORWARD,
      BATCH_NORM_BACKWARD,
    ];
    const installed = names.map((n) => tf.getKernel(n, 'wasm').kernelFunc);
    registerWasmTrainingKernels();
    await setupWasmBackend();
    expect(names.map((n) => tf.getKernel(n, 'wasm').kernelFunc)).toEqual(installed);
  });
});
