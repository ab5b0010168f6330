/**
 * Conv2DBackpropInput for the wasm backend: NormLab's own SIMD kernel (native/convGemm.c, mode 1),
 * an implicit GEMM that reads dy and W where they are (tfjs 4.22's own kernel is a scalar C++ loop).
 *
 * For y = conv(x, W) with stride s and pad p_before along an axis:
 *   dx[n, r, c, ci] = sum_{a, b, co} dy[n, (r + p_top - a) / s_h, (c + p_left - b) / s_w, co] W[a, b, ci, co]
 * over the taps whose quotients are exact and land inside dy. Earlier versions ran this as an XNNPACK
 * forward convolution of the zero-dilated, padded dy with the flipped, transposed filter; the flip
 * alone (tfjs's per-element Reverse) cost as much as a tenth of the convolution, and the convolution
 * ran at XNNPACK's 31-42 GFLOP/s where the native kernel's 4x8 tile runs at about 55.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertNumericPadSizesRight, assertOutputGradShape, convGeometry } from './convGeometry';
import { runConvGemm } from './convGemm';

export function conv2DBackpropInput(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.Conv2DBackpropInputAttrs },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy;
  const filter = inputs.filter;
  if (dy == null || filter == null) throw new Error('Conv2DBackpropInput needs inputs dy and filter');
  if (attrs.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    if (original == null) {
      throw new Error("wasm Conv2DBackpropInput supports dataFormat 'NHWC' and float32 only");
    }
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const filterShape = filter.shape as [number, number, number, number];
  assertNumericPadSizesRight(attrs.inputShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const g = convGeometry(attrs.inputShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  assertOutputGradShape(g, dy.shape);
  const { rows, cols } = g;
  return runConvGemm(backend, {
    mode: 'input-gradient',
    input: dy,
    filter,
    batch: g.batch,
    inRows: rows.m,
    inCols: cols.m,
    inChannels: g.outChannels,
    outRows: rows.n,
    outCols: cols.n,
    outChannels: g.inChannels,
    kh: rows.k,
    kw: cols.k,
    sh: rows.s,
    sw: cols.s,
    padTop: rows.before,
    padLeft: cols.before,
    // B(a, b, c = co, j = ci) = W[a, b, ci, co]
    tapStride: g.inChannels * g.outChannels,
    cStride: 1,
    jStride: g.outChannels,
  });
}
