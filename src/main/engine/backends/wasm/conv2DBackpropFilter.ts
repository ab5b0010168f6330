/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none), on the backend's XNNPACK paths.
 *
 * For y = conv(x, W) with stride s and pads (p_top, p_left), NHWC:
 *   dW[a, b, ci, co] = sum_{n, i, j} x[n, i s_h + a - p_top, j s_w + b - p_left, ci] dy[n, i, j, co]
 * (x read as 0 outside its bounds). Three formulations (FilterGradPlan), chosen per shape:
 * - 'conv': the sum is itself a convolution. With x^T = x as [Ci, H, W, N] (batch Ci, channels N)
 *   and dy^T = dy as [Ho, Wo, N, Co] used as the filter, dilated by the forward stride,
 *     dW^T[ci, a, b, co] = conv(x^T, dy^T; stride 1, dilation s, pads (p_before, p_after')),
 *   p_after' = k + (m - 1) s - n - p_before so that the output is k wide (negative: the last rows of
 *   x reach no output and are cropped); dW = dW^T as [k_h, k_w, Ci, Co].
 * - 'tall': the same convolution with the Ci planes of x^T stacked into one image (byTallConv).
 * - 'im2col': the k_h k_w shifted (strided) windows of the padded x, laid out as X^T
 *   [k_h k_w Ci, N Ho Wo], then dW = X^T dy with dy as [N Ho Wo, Co], an untransposed matMul.
 * Each can split the batch into chunks and sum the partial dW (see FilterGradPlan).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertNumericPadSizesRight, assertOutputGradShape, convGeometry, explicitPad } from './convGeometry';
import type { ConvAxis, ConvGeometry } from './convGeometry';
import { imagesAsChannels, imagesAsTallImage, outputGradAsFilter } from './filterGradOperands';
import { inKernelScope } from './kernelScope';
import type { KernelScope } from './kernelScope';

/**
 * How dW is computed: the formulation, and into how many batch chunks the reduction over
 * (n, i, j) is split. XNNPACK's GEMM streams the whole packed right-hand operand (K x N, with
 * K = batch Ho Wo here) once per few output rows and never blocks K, so a K of 10^4-10^5 falls
 * out of cache; summing `chunks` partial products over batch slices keeps each operand small.
 */
export interface FilterGradPlan {
  method: 'conv' | 'tall' | 'im2col';
  chunks: number;
}

let planFilterGrad: (g: ConvGeometry) => FilterGradPlan = defaultPlan;

/** Replaces the planner (for measurements); `undefined` restores the default. */
export function setFilterGradPlanner(planner: ((g: ConvGeometry) => FilterGradPlan) | undefined): void {
  planFilterGrad = planner ?? defaultPlan;
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
  const xShape = x.shape as [number, number, number, number];
  assertNumericPadSizesRight(xShape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const g = convGeometry(xShape, attrs.filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  assertOutputGradShape(g, dy.shape);
  const plan = planFilterGrad(g);
  if (g.batch % plan.chunks !== 0) throw new Error(`${plan.chunks} chunks do not divide batch ${g.batch}`);
  return inKernelScope(backend, (s) =>
    plan.method === 'conv'
      ? byConv(s, x, dy, g, plan.chunks)
      : plan.method === 'tall'
        ? byTallConv(s, x, dy, g, plan.chunks)
        : byIm2col(s, x, dy, g, plan.chunks),
  );
}

/** Pad after x along one axis so that a (m-1)s+1 wide dilated kernel yields k outputs; < 0 crops. */
function padAfter(a: ConvAxis): number {
  return a.k + (a.m - 1) * a.s - a.n - a.before;
}

/** x cropped to the rows/columns that reach dW (none are dropped unless padAfter < 0). */
function cropUnused(s: KernelScope, x: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const rowsAfter = padAfter(g.rows);
  const colsAfter = padAfter(g.cols);
  if (rowsAfter >= 0 && colsAfter >= 0) return x;
  const end = [g.batch, g.rows.n + Math.min(rowsAfter, 0), g.cols.n + Math.min(colsAfter, 0), g.inChannels];
  return s.stridedSlice(x, [0, 0, 0, 0], end);
}

function byConv(
  s: KernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  chunks: number,
): tf.TensorInfo {
  const { rows, cols } = g;
  const xUsed = cropUnused(s, x, g);
  const nb = g.batch / chunks;
  const pad = explicitPad(
    [rows.before, Math.max(padAfter(rows), 0)],
    [cols.before, Math.max(padAfter(cols), 0)],
  );
  const attrs = { strides: 1, dilations: [rows.s, cols.s], pad, dataFormat: 'NHWC' };
  const dWT = s.sumOver(chunks, (c) => {
    const xc = imagesAsChannels(s, xUsed, c, nb);
    const filter = outputGradAsFilter(s, dy, c, nb);
    const part = s.run(tf.Conv2D, { x: xc, filter }, attrs);
    s.release(xc);
    s.release(filter);
    return part;
  });
  return s.transpose(dWT, [1, 2, 0, 3]);
}

/**
 * The 'conv' formulation with the Ci planes of x^T stacked into one tall image (each with its own
 * zero rows above and below), so that XNNPACK tiles (Ci + 1) k_w output pixels at once instead of
 * k_h k_w per plane (9 = 6 + 3: a quarter of each micro-tile wasted). For each kernel row a, a
 * conv with vertical stride Hp (one output row per plane) and Hp - a zero rows on top yields
 * dW[a, :, ci, :] in output row ci + 1 (row 0 falls in the padding and is dropped).
 */
function byTallConv(
  s: KernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  chunks: number,
): tf.TensorInfo {
  const { rows, cols } = g;
  const xUsed = cropUnused(s, x, g);
  const h = xUsed.shape[1] as number;
  const nb = g.batch / chunks;
  const rowsAfter = Math.max(padAfter(rows), 0);
  const hp = rows.before + h + rowsAfter;
  const perRow = (a: number): tf.NamedAttrMap => ({
    strides: [hp, 1],
    dilations: [rows.s, cols.s],
    pad: explicitPad([hp - a, 0], [cols.before, Math.max(padAfter(cols), 0)]),
    dataFormat: 'NHWC',
  });
  const sums: tf.TensorInfo[] = [];
  for (let c = 0; c < chunks; c++) {
    const tall = imagesAsTallImage(s, xUsed, c, nb, rows.before, rowsAfter);
    const filter = outputGradAsFilter(s, dy, c, nb);
    for (let a = 0; a < rows.k; a++) {
      // [1, Ci + 1, k_w, Co]
      sums[a] = s.accumulate(sums[a], s.run(tf.Conv2D, { x: tall, filter }, perRow(a)));
    }
    s.release(tall);
    s.release(filter);
  }
  // dW^T[a, ci, b, co] from rows 1..Ci of each sum, then [k_h, k_w, Ci, Co].
  const block = g.inChannels * cols.k * g.outChannels;
  const stacked = s.alloc([rows.k, g.inChannels, cols.k, g.outChannels]);
  sums.forEach((t, a) => s.copy(t, cols.k * g.outChannels, stacked, a * block, block));
  return s.transpose(stacked, [0, 2, 1, 3]);
}

function byIm2col(
  s: KernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  chunks: number,
): tf.TensorInfo {
  const { rows, cols } = g;
  let xp = cropUnused(s, x, g);
  const [rowsAfter, colsAfter] = [Math.max(padAfter(rows), 0), Math.max(padAfter(cols), 0)];
  if (rows.before > 0 || cols.before > 0 || rowsAfter > 0 || colsAfter > 0) {
    const paddings = [
      [0, 0],
      [rows.before, rowsAfter],
      [cols.before, colsAfter],
      [0, 0],
    ];
    xp = s.run(tf.PadV2, { x: xp }, { paddings, constantValue: 0 });
  }
  const [hp, wp] = [xp.shape[1] as number, xp.shape[2] as number];
  const nb = g.batch / chunks;
  // [chunks Ci, nb, Hp, Wp] (rank 4: the wasm StridedSlice/Transpose kernels are fast up to rank 4).
  const xpT = s.reshape(s.transpose(s.reshape(xp, [chunks, nb, hp, wp, g.inChannels]), [0, 4, 1, 2, 3]), [
    chunks * g.inChannels,
    nb,
    hp,
    wp,
  ]);
  const windows: tf.TensorInfo[] = [];
  const made: tf.TensorInfo[] = [];
  for (let a = 0; a < rows.k; a++) {
    for (let b = 0; b < cols.k; b++) {
      const end = [chunks * g.inChannels, nb, a + (rows.m - 1) * rows.s + 1, b + (cols.m - 1) * cols.s + 1];
      const win = s.stridedSlice(xpT, [0, 0, a, b], end, [1, 1, rows.s, cols.s]);
      windows.push(s.reshape(win, [chunks, g.inChannels * nb * rows.m * cols.m]));
      made.push(win);
    }
  }
  // X^T per chunk: [chunks, (a, b, ci), (n, i, j)]; the wasm Concat kernel takes its inputs as an array.
  const colsT = s.run(tf.Concat, windows as unknown as tf.NamedTensorInfoMap, { axis: 1 });
  const taps = rows.k * cols.k * g.inChannels;
  const npix = nb * rows.m * cols.m;
  const dW = s.sumOver(chunks, (c) =>
    s.run(
      tf.BatchMatMul,
      { a: s.chunk(colsT, c, chunks, [1, taps, npix]), b: s.chunk(dy, c, chunks, [1, npix, g.outChannels]) },
      { transposeA: false, transposeB: false },
    ),
  );
  return s.reshape(dW, [rows.k, cols.k, g.inChannels, g.outChannels]);
}

/**
 * im2col in chunks of about 4 images: measured on vgg-mini's first layer (batch 128, 32x32x3 -> 64),
 * 32 chunks took ~84 ms against ~150 ms for one (the matMul's K = N H W then stays cache-sized).
 */
function im2colChunks(batch: number): number {
  let chunks = 1;
  for (let c = 1; c <= batch; c++) {
    if (batch % c !== 0) continue;
    chunks = c;
    if (batch / c <= 4) break;
  }
  return chunks;
}

/**
 * Measured on the vgg-mini shapes at batch 128 (numbers in the module's report):
 * - 'im2col' when the input has few channels (the first layer): the conv formulations then tile
 *   only 9 Ci output pixels, and building X^T is cheap;
 * - 'tall' from 128 input planes up, where the 9 = 6 + 3 split of every plane's pixels costs most;
 *   'conv' below that (at 64 planes it was the faster one, for reasons not pinned down);
 * - batch chunks: as few as keep the packed filter (dy^T of a chunk, Ho Wo nb Co floats) within
 *   2 MiB, with at least 8 images per chunk.
 * On batch 128 this picks im2col/32, conv/8, tall/4 and tall/2 for the four layers.
 */
function defaultPlan(g: ConvGeometry): FilterGradPlan {
  if (g.inChannels <= 4) return { method: 'im2col', chunks: im2colChunks(g.batch) };
  const perImage = g.rows.m * g.cols.m * g.outChannels * 4;
  let chunks = 1;
  for (let c = 1; c <= g.batch; c++) {
    if (g.batch % c !== 0) continue;
    const nb = g.batch / c;
    if (nb < 8) break;
    chunks = c;
    if (perImage * nb <= 2 * 1024 * 1024) break;
  }
  return { method: g.inChannels >= 128 ? 'tall' : 'conv', chunks };
}
