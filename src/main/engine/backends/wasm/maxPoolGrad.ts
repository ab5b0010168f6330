/**
 * MaxPoolGrad for the wasm backend: NormLab's own SIMD kernel (native/maxPoolGrad.c) on the backend's
 * heap and threads. tfjs 4.22's C++ kernel goes through a generic 3D pooling template and, with its
 * FLT_MIN initial value and `>=`, sends the gradient of an all-zero window to element 0 and that of a
 * tie to the last maximum.
 *
 * For y = maxPool(x), dx[p] = sum over windows w whose first maximum (row-major order within the
 * window, as the cpu backend and PyTorch choose it; NaN never the maximum, an all -Infinity window
 * none) sits at p of dy[w]. The kernel finds each window's first maximum by comparing x with y (one
 * pass instead of a rescan), so `output` must be maxPool(x) as the forward pass computed it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { maxPoolGradWasm } from './native/maxPoolGradWasm';
import { heapOffset, NativeKernels } from './native/nativeKernels';

export function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.MaxPoolGradAttrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  if (dy == null || input == null || output == null) {
    throw new Error('MaxPoolGrad needs inputs dy, input and output (= maxPool(input))');
  }
  if (dy.dtype !== 'float32' || input.dtype !== 'float32' || output.dtype !== 'float32') {
    throw new Error('wasm MaxPoolGrad supports float32 only');
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  for (const [name, t] of [
    ['dy', dy],
    ['output', output],
  ] as const) {
    if (!tf.util.arraysEqual(t.shape, info.outShape)) {
      throw new Error(
        `MaxPoolGrad: ${name} has shape [${t.shape.join(', ')}], the pool's output [${info.outShape.join(', ')}]`,
      );
    }
  }
  const dx = backend.makeOutput(input.shape, 'float32');
  if (batchSize * inHeight * inWidth * inChannels === 0) return dx;
  if (outHeight <= 0 || outWidth <= 0) {
    (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
    return dx;
  }
  const kernels = NativeKernels.for(backend);
  const threads = kernels.threads;
  const vecs = Math.ceil(inChannels / 4);
  // Units of work are (image, block of channels); with fewer images than threads the channels are split
  // so each thread gets about two units. Any split gives the same bits (maxPoolGrad.c).
  const cblocks = Math.min(vecs, Math.max(1, Math.ceil((2 * threads) / batchSize)));
  const { top, bottom, left, right } = info.padInfo;
  // tfjs-backend-wasm's forward MaxPool gives XNNPACK the pads, and XNNPACK makes
  // floor((in + pads - filter) / stride) + 1 windows; where tfjs rounds to more (a numeric pad with
  // dimRoundingMode 'round' or 'ceil'), the last row or column of y is never written. y is not read then.
  const xnnpackCovers = (size: number, pads: number, filter: number, stride: number, out: number): boolean =>
    out <= Math.floor((size + pads - filter) / stride) + 1;
  const rescan =
    !xnnpackCovers(inHeight, top + bottom, effectiveFilterHeight, strideHeight, outHeight) ||
    !xnnpackCovers(inWidth, left + right, effectiveFilterWidth, strideWidth, outWidth);
  const overlap = strideHeight < effectiveFilterHeight || strideWidth < effectiveFilterWidth;
  // Overlapping windows: each thread keeps its unit's first-maximum positions (one int per window and channel).
  const perThread = outHeight * outWidth * Math.ceil(vecs / cblocks) * 4;
  const scratch = overlap ? backend.makeOutput([threads * perThread], 'int32') : undefined;
  try {
    kernels.run(maxPoolGradWasm, 'max_pool_grad', [
      heapOffset(backend, input),
      heapOffset(backend, output),
      heapOffset(backend, dy),
      heapOffset(backend, dx),
      batchSize,
      inHeight,
      inWidth,
      inChannels,
      outHeight,
      outWidth,
      effectiveFilterHeight,
      effectiveFilterWidth,
      strideHeight,
      strideWidth,
      top,
      left,
      cblocks,
      rescan ? 1 : 0,
      scratch === undefined ? 0 : heapOffset(backend, scratch),
    ]);
  } catch (e) {
    backend.disposeData(dx.dataId);
    throw e;
  } finally {
    if (scratch !== undefined) backend.disposeData(scratch.dataId);
  }
  return dx;
}
