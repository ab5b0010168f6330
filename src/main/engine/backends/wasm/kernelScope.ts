/**
 * A composite wasm kernel (one that chains the backend's own kernels, e.g. Transpose -> Conv2D ->
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

  /**
   * x[begin : end : strides] through the wasm StridedSlice kernel, whose non-contiguous case is C++
   * (the wasm Slice kernel copies the whole input into JS first).
   */
  stridedSlice(x: tf.TensorInfo, begin: number[], end: number[], strides?: number[]): tf.TensorInfo {
    return this.run(
      tf.StridedSlice,
      { x },
      {
        begin,
        end,
        strides: strides ?? begin.map(() => 1),
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 0,
      },
    );
  }

  /** Block c of a tensor whose leading axis counts `chunks` blocks, as its own tensor of `shape`. */
  chunk(t: tf.TensorInfo, c: number, chunks: number, shape: number[]): tf.TensorInfo {
    if (chunks === 1) return this.reshape(t, shape);
    const size = tf.util.sizeFromShape(shape);
    const out = this.alloc(shape);
    this.copy(t, c * size, out, 0, size);
    return out;
  }

  /** sum_c part(c) by the wasm Add kernel, releasing each term once it is added. */
  sumOver(chunks: number, part: (c: number) => tf.TensorInfo): tf.TensorInfo {
    let acc = part(0);
    for (let c = 1; c < chunks; c++) acc = this.accumulate(acc, part(c));
    return acc;
  }

  /** acc + part (just part when there is no acc yet), releasing both operands. */
  accumulate(acc: tf.TensorInfo | undefined, part: tf.TensorInfo): tf.TensorInfo {
    if (acc === undefined) return part;
    const sum = this.run(tf.Add, { a: acc, b: part });
    this.release(acc);
    this.release(part);
    return sum;
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
