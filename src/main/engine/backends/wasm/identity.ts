/**
 * Identity for the wasm backend as a shared reference (the cpu backend does the same): the result
 * names the input's buffer, whose reference count the backend raises. tfjs clones every tensor it
 * saves for the backward pass through this kernel, and the wasm original copies each one, a full
 * pass over every saved activation per step. Tensors are immutable (a Variable's assign moves it to
 * a new buffer), so sharing is safe; strings go to the original.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function identity(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x;
  if (x == null) throw new Error('Identity needs input x');
  if (x.dtype === 'string') {
    if (original == null) throw new Error('the wasm backend has no Identity kernel for strings');
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}
