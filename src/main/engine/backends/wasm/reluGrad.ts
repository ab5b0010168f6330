/**
 * The ReLU gradient, dL/dx = dL/dy * 1[x > 0], as one pass on wasm. tfjs-core's gradient is
 * mul(dy, cast(step(x), 'float32')): three kernels (Step, an Identity copy for the no-op cast,
 * Multiply) and two temporaries of the activation's size per ReLU.
 *
 * The override is registered in tfjs's (global) gradient registry; on any other backend, or for a
 * non-float32 x, it computes exactly tfjs-core's formula.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The kernel's registry name (NormLab's own; tfjs has no fused ReLU gradient). */
export const RELU_GRAD = 'NormlabReluGrad';

export function reluGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm }): tf.TensorInfo {
  const { inputs, backend } = args;
  const dy = inputs.dy;
  const x = inputs.x;
  if (dy == null || x == null) throw new Error(`${RELU_GRAD} needs inputs dy and x`);
  const out = backend.makeOutput(x.shape, 'float32');
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const gs = backend.typedArrayFromHeap(dy) as Float32Array;
  const os = backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] as number;
    // step(NaN) is NaN in tfjs, so NaN propagates as it does there.
    os[i] = v > 0 ? (gs[i] as number) : v === v ? 0 : NaN;
  }
  return out;
}

export const reluGradConfig: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    if (x == null || Array.isArray(dy)) throw new Error('Relu gradient needs x and a single dy');
    if (tf.getBackend() === 'wasm' && x.dtype === 'float32' && dy.dtype === 'float32') {
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor };
    }
    return { x: () => tf.mul(dy, tf.cast(tf.step(x), 'float32')) };
  },
};
