/**
 * Conv2D for the wasm backend: NormLab's implicit-GEMM kernel (native/convGemm.c, mode 0) where it
 * beats the backend's XNNPACK convolution, XNNPACK elsewhere; both behind a check that refuses the
 * numeric-pad geometries tfjs 4.22 sizes wrongly (they make XNNPACK write past the output buffer;
 * see assertNumericPadSizesRight).
 *
 *   y[n, i, j, co] = sum_{a, b, ci} x[n, i s_h + a - p_top, j s_w + b - p_left, ci] W[a, b, ci, co]
 *
 * Measured on vgg-mini's 3x3 layers at batch 128, 1 thread: 86/81/78 ms (56-62 GFLOP/s) against
 * XNNPACK's 108/109/108 (44) for 64, 128 and 256 input channels; on the 3-channel first layer
 * XNNPACK wins (12 ms against 14: the reduction of 27 fills the 4-row A panels poorly), hence native
 * only when the input channels come in fours (the kernel's vector path).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runConvGemm } from './convGemm';
import { assertNumericPadSizesRight, convGeometry } from './convGeometry';

export function conv2D(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.Conv2DAttrs },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const x = inputs.x;
  const filter = inputs.filter;
  if (x == null || filter == null) throw new Error('Conv2D needs inputs x and filter');
  if (original == null) throw new Error('the wasm backend has no Conv2D kernel to build on');
  const xShape = x.shape as [number, number, number, number];
  const filterShape = filter.shape as [number, number, number, number];
  assertNumericPadSizesRight(xShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const dilations = attrs.dilations ?? 1;
  const undilated = typeof dilations === 'number' ? dilations === 1 : dilations.every((d) => d === 1);
  const native =
    attrs.dataFormat !== 'NCHW' &&
    undilated &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    filterShape[2] % 4 === 0;
  if (!native) return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const g = convGeometry(xShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const { rows, cols } = g;
  return runConvGemm(backend, {
    mode: 'forward',
    input: x,
    filter,
    batch: g.batch,
    inRows: rows.n,
    inCols: cols.n,
    inChannels: g.inChannels,
    outRows: rows.m,
    outCols: cols.m,
    outChannels: g.outChannels,
    kh: rows.k,
    kw: cols.k,
    sh: rows.s,
    sw: cols.s,
    padTop: rows.before,
    padLeft: cols.before,
    // B(a, b, c = ci, j = co) = W[a, b, ci, co]
    tapStride: g.inChannels * g.outChannels,
    cStride: g.outChannels,
    jStride: 1,
  });
}
