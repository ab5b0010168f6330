/**
 * Internal covariate shift in the paper's optimization sense (Santurkar et al. 2018, Definition 2.1):
 * how much the gradient of layer i changes when the layers before it are moved by the step, everything
 * else held fixed. For step k with weights w_{k-1} = (W_1^{k-1}, ..., W_n^{k-1}) before it and w_k after,
 *
 *   G_i  = grad_{W_i} L(W_1^{k-1}, ..., W_{i-1}^{k-1}, W_i^{k-1}, ..., W_n^{k-1}; x^k, y^k)
 *   G'_i = grad_{W_i} L(W_1^k,     ..., W_{i-1}^k,     W_i^{k-1}, ..., W_n^{k-1}; x^k, y^k)
 *
 * and ICS_i = ||G_i - G'_i||_2, with cos(G_i, G'_i) = <G_i, G'_i> / (||G_i|| ||G'_i||) alongside (the
 * paper's Fig 5 plots both). "Layers 1..i-1" means every parameter of those layers (weight, bias and
 * the normalization's gamma and beta: every ParamSpec with spec.layer < i); the minibatch, training
 * mode and Algorithm 1 noise are the step's own (ctx.forward). G_i is ctx.grads' `layer${i}.weight`;
 * each G'_i costs one forward + backward pass, except layer 1's, which equals G_1 by definition (no
 * earlier layers) and is not recomputed.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricPoint } from '../../../shared/events';
import { disposeStats } from '../models/runningStats';
import type { ParamMap } from '../models/networkTypes';
import { lossAndGradients } from '../models/lossAndGradients';
import type { ProbeContext, ProbeResult } from './probe';

/** Per probed layer, in order: ||G - G'||, <G, G'>, ||G||, ||G'||. */
const FIELDS = 4;

export async function measureInternalCovariateShift(
  ctx: ProbeContext,
  layers: readonly number[],
): Promise<ProbeResult> {
  let backward = 0;
  const rows: tf.Tensor1D[] = [];
  try {
    for (const i of layers) {
      const name = `layer${i}.weight`;
      const g = ctx.grads[name];
      if (!g) throw new Error(`measureInternalCovariateShift: no gradient for ${name} (no layer ${i})`);
      const shifted = shiftedWeights(ctx, i);
      if (shifted === undefined) {
        // Layer 1: nothing precedes it, so w' = w_{k-1} and G'_1 = G_1 exactly.
        rows.push(tf.tidy(() => compare(g, g)));
        continue;
      }
      backward++;
      rows.push(
        tf.tidy(() => {
          const r = lossAndGradients(ctx.net, shifted, ctx.x, ctx.loss, ctx.forward);
          r.output.dispose();
          disposeStats(r.batchStats);
          const gPrime = r.grads[name];
          if (!gPrime) throw new Error(`measureInternalCovariateShift: lossAndGradients gave no ${name}`);
          return compare(g, gPrime);
        }),
      );
    }
    const values = await readAll(rows);
    return result(ctx.step, layers, values, backward);
  } finally {
    rows.forEach((t) => t.dispose());
  }
}

/**
 * w' = (W_1^k, ..., W_{i-1}^k, W_i^{k-1}, ..., W_n^{k-1}), sharing ctx's tensors (nothing new to
 * dispose); undefined when no parameter precedes layer i, so w' = w_{k-1}.
 */
function shiftedWeights(ctx: ProbeContext, layer: number): ParamMap | undefined {
  const w: ParamMap = {};
  let moved = false;
  for (const spec of ctx.net.params) {
    const earlier = spec.layer < layer;
    const t = (earlier ? ctx.after : ctx.before)[spec.name];
    if (!t) throw new Error(`measureInternalCovariateShift: parameter ${spec.name} is missing`);
    w[spec.name] = t;
    moved ||= earlier;
  }
  return moved ? w : undefined;
}

/** [||G - G'||_2, <G, G'>, ||G||_2, ||G'||_2] as one float32 vector. */
function compare(g: tf.Tensor, gPrime: tf.Tensor): tf.Tensor1D {
  return tf.stack([
    tf.norm(tf.sub(g, gPrime)),
    tf.sum(tf.mul(g, gPrime)),
    tf.norm(g),
    tf.norm(gPrime),
  ]) as tf.Tensor1D;
}

/** Every probed layer's four scalars with one device read. */
async function readAll(rows: readonly tf.Tensor1D[]): Promise<Float32Array> {
  if (rows.length === 0) return new Float32Array(0);
  const all = tf.concat(rows as tf.Tensor1D[]);
  try {
    return (await all.data()) as Float32Array;
  } finally {
    all.dispose();
  }
}

function result(step: number, layers: readonly number[], v: Float32Array, backward: number): ProbeResult {
  const l2: number[] = [];
  const cos: number[] = [];
  const gradNorm: number[] = [];
  const shiftedGradNorm: number[] = [];
  const points: MetricPoint[] = [];
  layers.forEach((layer, k) => {
    const at = (f: number): number => v[k * FIELDS + f] as number;
    const [diff, dot, norm, shiftedNorm] = [at(0), at(1), at(2), at(3)];
    // cos is undefined when either gradient is zero: NaN (kept as such by the store), never a made-up 0 or 1.
    const c = norm > 0 && shiftedNorm > 0 ? Math.min(1, Math.max(-1, dot / (norm * shiftedNorm))) : NaN;
    l2.push(diff);
    cos.push(c);
    gradNorm.push(norm);
    shiftedGradNorm.push(shiftedNorm);
    points.push({ series: `probe/ics/layer${layer}/l2`, step, value: diff });
    points.push({ series: `probe/ics/layer${layer}/cos`, step, value: c });
  });
  return {
    points,
    records: [{ probe: 'ics', step, data: { layers: [...layers], l2, cos, gradNorm, shiftedGradNorm } }],
    passes: { forward: 0, backward },
  };
}
