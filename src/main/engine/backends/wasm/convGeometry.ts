/**
 * The geometry of a forward NHWC convolution y = conv(x, W) (dilation 1) as tfjs resolves it, read
 * back by the gradient kernels: pads before/after per spatial axis, strides, kernel and output sizes.
 */
import * as tf from '@tensorflow/tfjs-core';

export type Conv2DPad = tf.Conv2DAttrs['pad'];

/** One spatial axis: input size n, kernel k, stride s, pads before/after, output size m. */
export interface ConvAxis {
  n: number;
  k: number;
  s: number;
  before: number;
  after: number;
  m: number;
}

export interface ConvGeometry {
  batch: number;
  inChannels: number;
  outChannels: number;
  rows: ConvAxis;
  cols: ConvAxis;
}

export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: Conv2DPad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  return {
    batch: info.batchSize,
    inChannels: info.inChannels,
    outChannels: info.outChannels,
    rows: {
      n: info.inHeight,
      k: info.filterHeight,
      s: info.strideHeight,
      before: info.padInfo.top,
      after: info.padInfo.bottom,
      m: info.outHeight,
    },
    cols: {
      n: info.inWidth,
      k: info.filterWidth,
      s: info.strideWidth,
      before: info.padInfo.left,
      after: info.padInfo.right,
      m: info.outWidth,
    },
  };
}

/** Throws unless dy has the output size of the geometry (a caller passed mismatched shapes). */
export function assertOutputGradShape(g: ConvGeometry, dyShape: number[]): void {
  const expected = [g.batch, g.rows.m, g.cols.m, g.outChannels];
  if (expected.some((d, i) => d !== dyShape[i])) {
    throw new Error(`dy has shape [${dyShape}], but the convolution's output is [${expected}]`);
  }
}

/**
 * tfjs 4.22 sizes the output of a convolution with a numeric pad p from the height values alone
 * (out_w = round((n_w - k_h + 2p) / s_h) + 1), which is wrong when k_h != k_w or s_h != s_w; the wasm
 * Conv2D then lets XNNPACK write the true width into the smaller buffer, past its end. Refuse such
 * geometries instead of corrupting the heap.
 */
export function assertNumericPadSizesRight(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: Conv2DPad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): void {
  if (typeof pad !== 'number') return;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [kh, kw] = filterShape;
  if (kh === kw && sh === sw) return;
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  const exact = (xShape[2] - kw + 2 * pad) / sw + 1;
  const round =
    dimRoundingMode === 'ceil' ? Math.ceil : dimRoundingMode === 'round' ? Math.round : Math.floor;
  if (info.outWidth !== round(exact)) {
    throw new Error(
      `conv2d with numeric pad ${pad}, kernel ${kh}x${kw} and strides ${sh}x${sw}: tfjs 4.22 computes a ` +
        `wrong output width (${info.outWidth}, not ${round(exact)}); pass the padding explicitly, ` +
        `[[0, 0], [${pad}, ${pad}], [${pad}, ${pad}], [0, 0]]`,
    );
  }
}
