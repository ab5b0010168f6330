/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none): NormLab's own SIMD kernel
 * (native/filterGrad.c), a blocked GEMM dW = X^T dy over the implicit im2col X of x, run on the
 * backend's heap and threads (native/nativeKernels.ts).
 *
 * For y = conv(x, W) with stride s and pads (p_top, p_left), NHWC:
 *   dW[a, b, ci, co] = sum_{n, i, j} x[n, i s_h + a - p_top, j s_w + b - p_left, ci] dy[n, i, j, co]
 * (x read as 0 outside its bounds). XNNPACK has no kernel for a product whose reduction (N Ho Wo,
 * 2k-131k long) dwarfs its output; re-expressed as its convolutions or GEMMs it ran at 7-25 GFLOP/s
 * where its forward convolution reaches 30.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertNumericPadSizesRight, assertOutputGradShape, convGeometry } from './convGeometry';
import type { ConvGeometry } from './convGeometry';
import { filterGradWasm } from './native/filterGradWasm';
import { heapOffset, NativeKernels } from './native/nativeKernels';

/**
 * Pixels per block of the reduction (Kc): B's packed block is Kc x Co floats, kept in L2 while every
 * 4-row panel of x's im2col streams past it. Measured at batch 128 on 1 thread (AMD EPYC, 1 MiB L2
 * per core), Kc = 128, 256, 512 and 1024 ran within 4% of each other on every vgg-mini and VGG16
 * (width 1/4 and full) layer but two: VGG16's 4x4x512 layer, where 512 and 1024 fell to 47 GFLOP/s
 * (B's block, 1-2 MiB, no longer fits), and its 2x2x512 layer (K = 512 pixels in all), noisy between
 * 30 and 52. 256 is the default: 55-61 GFLOP/s on vgg-mini's layers 2-4, 52-59 on VGG16's.
 */
let planBlock: (g: ConvGeometry) => number = defaultBlock;

/** Replaces the block-size rule (for measurements); `undefined` restores the default. */
export function setFilterGradBlock(planner: ((g: ConvGeometry) => number) | undefined): void {
  planBlock = planner ?? defaultBlock;
}

/**
 * Floats of scratch native/filterGrad.c needs per thread for a kh x kw x ci -> co filter with blocks
 * of kc pixels: B's block (co rounded up to 8 columns), A's rows (a [kc][4] panel, or with ci not a
 * multiple of 4 the thread's whole im2col block, rows of kh kw ci + 3 floats rounded up to 4:
 * pack_taps) and a 4x8 tile.
 */
export function filterGradScratchFloats(kh: number, kw: number, ci: number, co: number, kc: number): number {
  const npad = Math.ceil(co / 8) * 8;
  const lda = ci % 4 === 0 ? 4 : Math.ceil((kh * kw * ci + 3) / 4) * 4;
  return kc * (npad + lda) + 32;
}

export function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.Conv2DBackpropFilterAttrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x;
  const dy = inputs.dy;
  if (x == null || dy == null) throw new Error('Conv2DBackpropFilter needs inputs x and dy');
  if (attrs.dataFormat === 'NCHW') {
    throw new Error("wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only (as wasm Conv2D does)");
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error('wasm Conv2DBackpropFilter supports float32 only');
  }
  const xShape = x.shape as [number, number, number, number];
  assertNumericPadSizesRight(xShape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const g = convGeometry(xShape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  assertOutputGradShape(g, dy.shape);
  const { rows, cols } = g;
  const dW = backend.makeOutput([rows.k, cols.k, g.inChannels, g.outChannels], 'float32');
  if (g.batch * rows.m * cols.m === 0) {
    (backend.typedArrayFromHeap(dW) as Float32Array).fill(0);
    return dW;
  }
  const kernels = NativeKernels.for(backend);
  const kc = Math.max(1, Math.floor(planBlock(g)));
  const perThread = filterGradScratchFloats(rows.k, cols.k, g.inChannels, g.outChannels, kc);
  const scratch = backend.makeOutput([kernels.threads * perThread], 'float32');
  try {
    kernels.run(filterGradWasm, 'filter_grad', [
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, dW),
      g.batch,
      rows.n,
      cols.n,
      g.inChannels,
      rows.m,
      cols.m,
      g.outChannels,
      rows.k,
      cols.k,
      rows.s,
      cols.s,
      rows.before,
      cols.before,
      kc,
      heapOffset(backend, scratch),
    ]);
  } catch (e) {
    backend.disposeData(dW.dataId);
    throw e;
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return dW;
}

function defaultBlock(): number {
  return 256;
}
