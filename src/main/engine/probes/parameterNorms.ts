/**
 * Per-layer gradient and weight norms at step k (Frobenius norms, PAPER.md section 4's "norms"):
 *
 *   probe/norms/grad_norm/layer{i}   = ||g_{W_i}||_2,  g = grad L_k(w_{k-1}) (the step's gradient),
 *   probe/norms/weight_norm/layer{i} = ||W_i||_2 at w_k (after the step's update),
 *   probe/norms/grad_norm/total      = ||g||_2 over every parameter (weights, biases, gamma, beta),
 *
 * for the normalizable layers i = 1..numLayers and the output layer numLayers + 1 (weights only; the
 * total includes everything). No extra pass: the probe reads tensors the step already has.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricPoint } from '../../../shared/events';
import type { ParamMap } from '../models/networkTypes';
import type { ProbeContext, ProbeResult } from './probe';

/** The norms above at step k, read in one batch; points only. */
export async function measureParameterNorms(ctx: ProbeContext): Promise<ProbeResult> {
  const { net } = ctx;
  const layers = Array.from({ length: net.numLayers + 1 }, (_, k) => k + 1);
  const names = net.params.map((p) => p.name);
  // Squared norms on the device, one read; square roots and the total's sum in float64 here.
  const packed = tf.tidy(() =>
    tf.stack([
      ...names.map((n) => squaredNorm(ctx.grads, n)),
      ...layers.map((i) => squaredNorm(ctx.after, `layer${i}.weight`)),
    ]),
  );
  let squares: tf.TypedArray;
  try {
    squares = await packed.data();
  } finally {
    packed.dispose();
  }
  const gradSq = new Map(names.map((n, k) => [n, squares[k] as number]));
  const points: MetricPoint[] = [];
  layers.forEach((i, k) => {
    const grad = gradSq.get(`layer${i}.weight`) as number;
    const weight = squares[names.length + k] as number;
    points.push(
      { series: `probe/norms/grad_norm/layer${i}`, step: ctx.step, value: Math.sqrt(grad) },
      { series: `probe/norms/weight_norm/layer${i}`, step: ctx.step, value: Math.sqrt(weight) },
    );
  });
  let total = 0;
  for (const sq of gradSq.values()) total += sq;
  points.push({ series: 'probe/norms/grad_norm/total', step: ctx.step, value: Math.sqrt(total) });
  return { points, records: [], passes: { forward: 0, backward: 0 } };
}

/** ||t||^2 = sum t^2 of params[name]. */
function squaredNorm(params: ParamMap, name: string): tf.Scalar {
  const t = params[name];
  if (!t) throw new Error(`measureParameterNorms: parameter ${name} is missing`);
  return tf.sum(tf.square(t));
}
