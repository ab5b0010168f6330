/**
 * Sum for the wasm backend when it reduces leading axes (the bias gradient sum_{n,i,j} dy[n,i,j,c]
 * of every conv and dense layer): one pass over the rows, accumulating in float64. tfjs 4.22's
 * kernel first transposes the reduced axes innermost, a strided copy far slower than the sum
 * itself. Any other reduction goes to the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

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
  const v = backend.typedArrayFromHeap(x) as Float32Array;
  const acc = new Float64Array(cols);
  // Four rows per sweep: a quarter of the loads and stores of the accumulator row.
  let r = 0;
  for (let base = 0; r + 4 <= rows; r += 4, base += 4 * cols) {
    for (let c = 0; c < cols; c++) {
      const i = base + c;
      acc[c] =
        (acc[c] as number) +
        (v[i] as number) +
        (v[i + cols] as number) +
        (v[i + 2 * cols] as number) +
        (v[i + 3 * cols] as number);
    }
  }
  for (let base = r * cols; r < rows; r++, base += cols) {
    for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + (v[base + c] as number);
  }
  (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
  return out;
}
