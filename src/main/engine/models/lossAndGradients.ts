/**
 * L(w) and grad_w L(w) for every parameter of a network, with w given as a ParamMap (plain tensors or
 * tf.Variables alike), so the trainer and the probes (which need grad L at w - eta g) share one path.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradient functions by itself; training and the probes differentiate networks.
import '../tf/registerGradients';
import type { ForwardOptions, Network, ParamMap } from './networkTypes';
import type { NormStats } from '../norms/normStats';

export interface LossAndGradients {
  loss: tf.Scalar;
  /** dL/dw per parameter name. */
  grads: ParamMap;
  /** The network output the loss was computed from. */
  output: tf.Tensor2D;
  /** The forward pass's batch statistics (training mode), for the running estimates and probes. */
  batchStats: Map<number, NormStats>;
}

/**
 * Every returned tensor belongs to the caller and nothing else is left behind. `loss` and `grads` live
 * in the caller's scope (an enclosing tf.tidy releases them); `output` and `batchStats` are tf.keep'ed
 * (so they can outlive it) and must be disposed explicitly (disposeStats for the statistics).
 */
export function lossAndGradients(
  net: Network,
  params: ParamMap,
  x: tf.Tensor,
  loss: (output: tf.Tensor2D) => tf.Scalar,
  opts: ForwardOptions,
): LossAndGradients {
  const names = net.params.map((p) => p.name);
  const tensors = names.map((n) => {
    const t = params[n];
    if (!t) throw new Error(`lossAndGradients: parameter ${n} is missing`);
    return t;
  });
  let output: tf.Tensor2D | undefined;
  let batchStats = new Map<number, NormStats>();
  const { value, grads } = tf.valueAndGrads((...ws: tf.Tensor[]) => {
    const p: ParamMap = {};
    names.forEach((n, k) => (p[n] = ws[k] as tf.Tensor));
    const r = net.forward(p, x, opts);
    output = tf.keep(r.output);
    batchStats = r.batchStats;
    return loss(r.output);
  })(tensors);
  const byName: ParamMap = {};
  names.forEach((n, k) => (byName[n] = grads[k] as tf.Tensor));
  return { loss: value as tf.Scalar, grads: byName, output: output as tf.Tensor2D, batchStats };
}
