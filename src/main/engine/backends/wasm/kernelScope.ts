/**
 * A composite wasm kernel (one that chains the backend's own kernels, e.g. Transpose -> BatchMatMul ->
 * Transpose) runs inside a KernelScope: every intermediate TensorInfo it makes is released with
 * backend.disposeData when the scope closes, except the one result it returns. The chained kernels
 * are looked up in tfjs's registry at call time, so a replacement registered there is what runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export class KernelScope {
  private readonly made: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** A new float32 tensor on the wasm heap (contents undefined until written). */
  alloc(shape: number[]): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.made.push(out);
    return out;
  }

  /**
   * Copies `length` floats from src[srcOffset..] to dst[dstOffset..] on the wasm heap. Views are
   * taken here, after any allocation, since a growing wasm memory detaches older views.
   */
  copy(src: tf.TensorInfo, srcOffset: number, dst: tf.TensorInfo, dstOffset: number, length: number): void {
    const from = this.backend.typedArrayFromHeap(src);
    const to = this.backend.typedArrayFromHeap(dst);
    to.set(from.subarray(srcOffset, srcOffset + length), dstOffset);
  }

  /**
   * Runs the wasm kernel `name` (or the given config of it, e.g. the original a replacement wraps);
   * its output is an intermediate of this scope.
   */
  run(
    name: string,
    inputs: tf.NamedTensorInfoMap,
    attrs: tf.NamedAttrMap = {},
    config: tf.KernelConfig | undefined = tf.getKernel(name, 'wasm'),
  ): tf.TensorInfo {
    if (config == null) throw new Error(`wasm kernel ${name} is not registered`);
    const out = config.kernelFunc({ inputs, attrs, backend: this.backend });
    if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several outputs`);
    this.made.push(out);
    return out;
  }

  /** The same data under another shape (shares the buffer; the wasm Reshape kernel counts the ref). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run(tf.Reshape, { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm });
  }

  /** Releases one intermediate now. */
  release(t: tf.TensorInfo): void {
    const i = this.made.indexOf(t);
    if (i < 0) throw new Error('release: not an intermediate of this scope');
    this.made.splice(i, 1);
    this.backend.disposeData(t.dataId);
  }

  /** Releases every intermediate except `keep`. */
  close(keep?: tf.TensorInfo): void {
    for (const t of this.made) if (t !== keep) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/**
 * Runs `f` in a fresh scope and returns its result, which must be an intermediate of the scope (a
 * kernel may not hand back one of its inputs as its output); everything else made inside is
 * released, also when `f` throws.
 */
export function inKernelScope(backend: BackendWasm, f: (s: KernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new KernelScope(backend);
  let out: tf.TensorInfo | undefined;
  try {
    out = f(scope);
    return out;
  } finally {
    scope.close(out);
  }
}
