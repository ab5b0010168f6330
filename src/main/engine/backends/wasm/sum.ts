/**
 * Sum for the wasm backend when it reduces leading axes (the bias gradient sum_{n,i,j} dy[n,i,j,c]
 * of every conv and dense layer): NormLab's SIMD kernel (native/sum.c) on the backend's heap and
 * threads, one pass over the rows accumulating in float64. tfjs 4.22's kernel first transposes the
 * reduced axes innermost, a strided copy far slower than the sum itself. Any other reduction goes to
 * the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, NativeKernels } from './native/nativeKernels';
import { sumWasm } from './native/sumWasm';

/**
 * Rows per block of the threaded reduction (each block's column sums are kept in float64, then the
 * blocks are added in order): about 64 KiB of x per block, 16 to 256 rows. Depends on the column
 * count alone, never on the thread count (the sums' bits must not).
 */
let planBlockRows: (cols: number) => number = defaultBlockRows;

/** Replaces the block rule (for tests of the block edges); `undefined` restores the default. */
export function setSumBlockRows(rule: ((cols: number) => number) | undefined): void {
  planBlockRows = rule ?? defaultBlockRows;
}

function defaultBlockRows(cols: number): number {
  return Math.min(256, Math.max(16, Math.floor(16384 / cols)));
}

export function sum(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.SumAttrs },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x;
  if (x == null) throw new Error('Sum needs input x');
  if (original == null) throw new Error('the wasm backend has no Sum kernel to fall back on');
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) {
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const rest = x.shape.slice(axes.length);
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const cols = tf.util.sizeFromShape(rest);
  const outShape = attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest;
  const out = backend.makeOutput(outShape, 'float32');
  if (cols === 0) return out;
  const blockRows = Math.max(1, Math.floor(planBlockRows(cols)));
  const blocks = Math.ceil(rows / blockRows);
  // float64 partials [blocks][cols]: two floats each.
  const scratch = backend.makeOutput([Math.max(1, 2 * blocks * cols)], 'float32');
  const kernels = NativeKernels.for(backend);
  const part = heapOffset(backend, scratch);
  try {
    kernels.run(sumWasm, 'column_block_sums', [heapOffset(backend, x), rows, cols, blockRows, part]);
    kernels.run(sumWasm, 'column_total', [part, blocks, cols, heapOffset(backend, out)]);
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return out;
}
