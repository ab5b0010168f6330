/**
 * Conv2DBackpropInput for the wasm backend, as a forward XNNPACK convolution (tfjs 4.22's own is a
 * scalar C++ loop).
 *
 * For y = conv(x, W) with stride s and pad p_before along an axis (kernel k, input n, output m):
 *   dx[i] = sum_{o, t : o s + t - p_before = i} dy[o] W[t].
 * With dy' the stride-dilated dy (s - 1 zeros inserted after every element, dy'[o s] = dy[o]) and
 * W' the kernel flipped in space with in/out channels swapped (W'[u] = W[k - 1 - u]^T),
 *   dx[i] = sum_u dy'_pad[i + u] W'[u],   dy'_pad[j] = dy'[j - P],   P = k - 1 - p_before,
 * a stride-1 "valid" convolution of dy' padded by P before and by Q = n + k - 1 - P - len(dy') after
 * (full padding minus the forward padding, and whatever the forward output left uncovered at the end
 * when (n + pads - k) was not a multiple of s). A negative P or Q crops dy' instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertNumericPadSizesRight, assertOutputGradShape, convGeometry, explicitPad } from './convGeometry';
import type { ConvAxis, ConvGeometry } from './convGeometry';
import { inKernelScope } from './kernelScope';

/**
 * Into how many groups of dy's channels (the reduction of the convolution, length k_h k_w Co) the
 * product is split: dx = sum_g conv(dy'[..., g], W'[:, :, g, :]), meant to keep XNNPACK's row tile
 * of the reduction in cache when k_h k_w Co is large. On the vgg-mini shapes 2 or 4 groups were
 * never reliably faster than 1, the default.
 */
let planInputGrad: (g: ConvGeometry) => number = defaultGroups;

/** Replaces the planner (for measurements); `undefined` restores the default. */
export function setInputGradPlanner(planner: ((g: ConvGeometry) => number) | undefined): void {
  planInputGrad = planner ?? defaultGroups;
}

export function conv2DBackpropInput(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.Conv2DBackpropInputAttrs },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy;
  const filter = inputs.filter;
  if (dy == null || filter == null) throw new Error('Conv2DBackpropInput needs inputs dy and filter');
  if (attrs.dataFormat === 'NCHW') {
    if (original == null) throw new Error("wasm Conv2DBackpropInput supports dataFormat 'NHWC' only");
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const filterShape = filter.shape as [number, number, number, number];
  assertNumericPadSizesRight(attrs.inputShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  const g = convGeometry(attrs.inputShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  assertOutputGradShape(g, dy.shape);
  return inKernelScope(backend, (s) => {
    let d = dy;
    const { rows, cols } = g;
    if (rows.s > 1 || cols.s > 1) {
      // Zero insertion as a pad: [N, m_h, 1, m_w, 1, C] -> [N, m_h, s_h, m_w, s_w, C] -> [N, m_h s_h, m_w s_w, C].
      const d6 = s.reshape(dy, [g.batch, rows.m, 1, cols.m, 1, g.outChannels]);
      const paddings = [
        [0, 0],
        [0, 0],
        [0, rows.s - 1],
        [0, 0],
        [0, cols.s - 1],
        [0, 0],
      ];
      const padded = s.run(tf.PadV2, { x: d6 }, { paddings, constantValue: 0 });
      d = s.reshape(padded, [g.batch, rows.m * rows.s, cols.m * cols.s, g.outChannels]);
    }
    const r = fullPads(rows);
    const c = fullPads(cols);
    if (r.cropBefore > 0 || r.cropAfter > 0 || c.cropBefore > 0 || c.cropAfter > 0) {
      const [h, w] = [rows.m * rows.s, cols.m * cols.s];
      d = s.stridedSlice(
        d,
        [0, r.cropBefore, c.cropBefore, 0],
        [g.batch, h - r.cropAfter, w - c.cropAfter, g.outChannels],
      );
    }
    // W'[u, v, co, ci] = W[k_h - 1 - u, k_w - 1 - v, ci, co]
    const flipped = s.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
    const wT = s.transpose(flipped, [0, 1, 3, 2]);
    const attrs = {
      strides: 1,
      dilations: 1,
      pad: explicitPad([r.before, r.after], [c.before, c.after]),
      dataFormat: 'NHWC',
    };
    const groups = planInputGrad(g);
    if (groups === 1) return s.run(tf.Conv2D, { x: d, filter: wT }, attrs);
    if (g.outChannels % groups !== 0)
      throw new Error(`${groups} groups do not divide ${g.outChannels} channels`);
    const [n, h, w] = d.shape as [number, number, number, number];
    const cg = g.outChannels / groups;
    // [groups, n h w, cg] and [groups, k_h k_w, cg, Ci]: each group one contiguous block.
    const dG = s.transpose(s.reshape(d, [n * h * w, groups, cg]), [1, 0, 2]);
    const wG = s.transpose(s.reshape(wT, [rows.k * cols.k, groups, cg, g.inChannels]), [1, 0, 2, 3]);
    return s.sumOver(groups, (i) =>
      s.run(
        tf.Conv2D,
        {
          x: s.chunk(dG, i, groups, [n, h, w, cg]),
          filter: s.chunk(wG, i, groups, [rows.k, cols.k, cg, g.inChannels]),
        },
        attrs,
      ),
    );
  });
}

function defaultGroups(g: ConvGeometry): number {
  void g;
  return 1;
}

/**
 * Pads (P, Q) of the dilated dy along one axis, as non-negative pads plus crops of dy'. dy' here is
 * m s long (the zero insertion leaves s - 1 trailing zeros).
 */
function fullPads(a: ConvAxis): { before: number; after: number; cropBefore: number; cropAfter: number } {
  const before = a.k - 1 - a.before;
  const after = a.n + a.k - 1 - before - a.m * a.s;
  return {
    before: Math.max(before, 0),
    after: Math.max(after, 0),
    cropBefore: Math.max(-before, 0),
    cropAfter: Math.max(-after, 0),
  };
}
