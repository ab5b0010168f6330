/**
 * The ReLU gradient dL/dx = dL/dy * step(x), registered in tfjs's (global) gradient registry by
 * registerWasmTrainingKernels.
 *
 * On a backend with a RELU_GRAD kernel (wasm: NormLab's threaded SIMD kernel native/reluGrad.c, one
 * pass over dy and x) the gradient is that kernel; elsewhere (cpu, webgpu) it is
 * mul(dy, step(x)) without tfjs-core's cast of step(x) to float32, which for a float32 x is an
 * Identity kernel (on wasm a full copy of the activation per ReLU per step). Same values either way:
 * dy where x > 0, dy * 0 where x <= 0, NaN where x is NaN.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, NativeKernels } from './native/nativeKernels';
import { reluGradWasm } from './native/reluGradWasm';

/** The kernel dx = dy * step(x) (inputs dy and x, float32, same shape); tfjs has none. */
export const RELU_GRAD = 'NormLabReluGrad';

/** dy * step(x), through RELU_GRAD where the active backend has it. */
function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  // getKernel's declared type omits the undefined it returns for an unregistered kernel.
  const kernel = tf.getKernel(RELU_GRAD, tf.getBackend()) as tf.KernelConfig | undefined;
  if (kernel !== undefined && x.dtype === 'float32' && dy.dtype === 'float32') {
    return tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor;
  }
  return tf.mul(dy, x.dtype === 'float32' ? tf.step(x) : tf.cast(tf.step(x), 'float32'));
}

export const reluGradConfig: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    if (x == null || Array.isArray(dy)) throw new Error('the Relu gradient needs x and a single dy');
    return { x: () => reluGradient(dy, x) };
  },
};

/**
 * RELU_GRAD's own gradient, for gradients of gradients: dx = dy * step(x) is linear in dy (its
 * gradient is ddx * step(x)) and piecewise constant in x (0).
 */
export const reluGradGradConfig: tf.GradConfig = {
  kernelName: RELU_GRAD,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved) => {
    const [x] = saved;
    if (x == null || Array.isArray(ddx)) throw new Error(`the ${RELU_GRAD} gradient needs x and a single dy`);
    return { dy: () => reluGradient(ddx, x), x: () => tf.zerosLike(x) };
  },
};

/** RELU_GRAD on wasm: native/reluGrad.c on the backend's heap and threads. */
export function reluGrad(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm }): tf.TensorInfo {
  const { inputs, backend } = args;
  const { dy, x } = inputs;
  if (dy == null || x == null) throw new Error(`${RELU_GRAD} needs inputs dy and x`);
  if (dy.dtype !== 'float32' || x.dtype !== 'float32')
    throw new Error(`wasm ${RELU_GRAD} supports float32 only`);
  if (!tf.util.arraysEqual(dy.shape, x.shape)) {
    throw new Error(`${RELU_GRAD}: dy has shape [${dy.shape.join(', ')}], x [${x.shape.join(', ')}]`);
  }
  const dx = backend.makeOutput(x.shape, 'float32');
  const size = tf.util.sizeFromShape(x.shape);
  if (size === 0) return dx;
  try {
    NativeKernels.for(backend).run(reluGradWasm, 'relu_grad', [
      heapOffset(backend, dy),
      heapOffset(backend, x),
      heapOffset(backend, dx),
      size,
    ]);
  } catch (e) {
    backend.disposeData(dx.dataId);
    throw e;
  }
  return dx;
}
