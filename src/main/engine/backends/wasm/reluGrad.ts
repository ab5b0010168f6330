/**
 * The ReLU gradient without tfjs-core's no-op cast: dL/dx = dL/dy * step(x). tfjs-core computes
 * mul(dy, cast(step(x), 'float32')), and for a float32 x that cast is an Identity kernel, on wasm a
 * full copy of the activation per ReLU per step. Same values on every backend; registered in
 * tfjs's (global) gradient registry by registerWasmTrainingKernels.
 */
import * as tf from '@tensorflow/tfjs-core';

export const reluGradConfig: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    if (x == null || Array.isArray(dy)) throw new Error('the Relu gradient needs x and a single dy');
    return { x: () => tf.mul(dy, x.dtype === 'float32' ? tf.step(x) : tf.cast(tf.step(x), 'float32')) };
  },
};
