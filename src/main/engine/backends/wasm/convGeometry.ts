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

/** The NHWC explicit padding tfjs's Conv2D accepts, from (before, after) per spatial axis. */
export function explicitPad(rows: [number, number], cols: [number, number]): Conv2DPad {
  return [[0, 0], rows, cols, [0, 0]];
}
