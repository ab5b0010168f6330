/**
 * Hessian-vector products H v = grad^2 L(w) v by central finite differences of gradients (PAPER.md
 * section 4, "beyond the paper": finite differences where double-backprop is unsupported; tfjs has no
 * second derivatives of the conv and max-pool gradient kernels, so this is the general path):
 *
 *   H v ~ (grad L(w + eps v) - grad L(w - eps v)) / (2 eps),    eps = relStep max(1, ||w||) / ||v||,
 *
 * with ||.|| the Euclidean norm over all parameters together. The rule makes the move along v,
 * eps ||v|| = relStep max(1, ||w||), a fixed fraction of the weights' size whatever the scale of v
 * (power iteration feeds unit vectors, Hutchinson Rademacher vectors of norm sqrt(n)). In float32 the
 * error is the truncation O(eps^2 ||v||^3 ||grad^3 L||) (zero for a quadratic) plus the round-off
 * ~ u ||grad L|| / (eps ||v||) (u = 6e-8), which balance near relStep = u^(1/3) ~ 4e-3 for a loss
 * whose third derivatives are O(1); batch norm makes them far larger. Measured on the cpu backend,
 * ||Hv_fd - Hv|| / ||Hv|| for relStep = 1e-4, 3e-4, 1e-3, 3e-3, 1e-2:
 *   - mlp [2 -> 3 -> 2], 5 seeds, against a float64 Hessian: no norm <= 6e-4, 2e-4, 8e-5, 2e-5, 7e-5
 *     (where no ReLU kink lies within eps ||v|| of w); batch norm <= 2e-3, 7e-4, 3e-3, 2e-2, 3e-1
 *     (the worst seed has a unit with a tiny batch variance: lambda_min = -1.2e4);
 *   - dln25, change against the neighbouring relStep: no norm 2e-4, 6e-5, 3e-4, 4e-3; batch norm
 *     7e-4, 3e-3, 3e-2, 3e-1.
 * Hence the default 1e-3 (at most ~3e-3 on these). Piecewise-linear networks (ReLU, max-pool: vgg,
 * mlp) are another matter: every ReLU or max-pool switch crossed between w - eps v and w + eps v adds
 * its gradient jump / (2 eps) to the product, a term the a.e. Hessian that autograd would give lacks
 * (ReLU'' = 0). Crossings grow like eps, their sum does not vanish as eps -> 0, and it dominates on
 * real networks: on vgg-tiny (width 1/4, batch 8) 3, 32 and 307 of 57,344 pre-activations switch at
 * relStep 1e-4, 1e-3, 1e-2 and ||Hv|| / ||v|| is 1.5, 19.5 and 5.1; on an mlp [32 -> 64 -> 64 -> 10]
 * a single switch triples it. So the probe freezes them: recordGates takes the ReLU masks and
 * max-pool choices at w once, and every gradient of the differences replays them (network.ts
 * ForwardOptions.gates), which makes the network linear in its activations around w; the product is
 * then the a.e. Hessian (with BN's and the loss's own curvature), linear in v, and independent of
 * relStep up to the smooth parts' truncation error above.
 * Two forward + backward passes per product; the norms stay on the device (no readback).
 */
import * as tf from '@tensorflow/tfjs-core';
import { lossAndGradients } from '../models/lossAndGradients';
import { disposeStats } from '../models/runningStats';
import type { ForwardOptions, Gates, ParamMap } from '../models/networkTypes';
import type { ProbeContext } from './probe';

/** relStep of the eps rule above (see the measurements there). */
export const DEFAULT_REL_STEP = 1e-3;

/**
 * H v at w = `params`, for every parameter of `params` (v must hold the same names). `gradAt` returns
 * grad L at the given weights as fresh tensors (gradientAt builds it from a probe context); it is
 * called twice. v = 0 gives H v = 0. The result belongs to the caller; nothing else is left behind.
 */
export function hessianVectorProduct(
  gradAt: (params: ParamMap) => ParamMap,
  params: ParamMap,
  v: ParamMap,
  relStep: number = DEFAULT_REL_STEP,
): ParamMap {
  const names = Object.keys(params);
  const at = (map: ParamMap, name: string, what: string): tf.Tensor => {
    const t = map[name];
    if (!t) throw new Error(`hessianVectorProduct: ${what} has no ${name}`);
    return t;
  };
  return tf.tidy(() => {
    const norm = (map: ParamMap): tf.Scalar =>
      tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(at(map, n, 'the direction'))))));
    const wNorm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(at(params, n, 'the weights'))))));
    // ||v|| = 0 is clamped: then eps is huge but finite and w +- eps v = w, so H v = 0 / (2 eps) = 0.
    const eps = tf.div(tf.mul(relStep, tf.maximum(wNorm, 1)), tf.maximum(norm(v), 1e-30));
    const moved = (sign: 1 | -1): ParamMap => {
      const step = tf.mul(eps, sign);
      const w: ParamMap = {};
      for (const n of names)
        w[n] = tf.add(at(params, n, 'the weights'), tf.mul(step, at(v, n, 'the direction')));
      const g = gradAt(w);
      for (const n of names) (w[n] as tf.Tensor).dispose();
      return g;
    };
    const plus = moved(1);
    const minus = moved(-1);
    const twoEps = tf.mul(eps, 2);
    const hv: ParamMap = {};
    for (const n of names)
      hv[n] = tf.div(tf.sub(at(plus, n, 'the gradient'), at(minus, n, 'the gradient')), twoEps);
    return hv;
  });
}

/**
 * grad L_k at other weights, on the probe's minibatch with its loss and forward options (training
 * mode, step k's own noise): the gradient oracle of hessianVectorProduct. One forward + backward pass
 * per call; the loss, output and batch statistics are released, the gradients belong to the caller.
 */
export function gradientAt(ctx: ProbeContext, gates?: Gates): (params: ParamMap) => ParamMap {
  const forward: ForwardOptions = gates ? { ...ctx.forward, gates: { replay: gates } } : ctx.forward;
  return (params) => {
    const r = lossAndGradients(ctx.net, params, ctx.x, ctx.loss, forward);
    r.loss.dispose();
    r.output.dispose();
    disposeStats(r.batchStats);
    return r.grads;
  };
}

/**
 * The ReLU masks and max-pool choices of the forward pass at w = ctx.before (one extra forward pass),
 * for gradientAt to replay: with them, every gradient the finite differences take belongs to the same
 * linear piece of the network, and H v is the a.e. Hessian (see the module comment). The caller
 * disposes them (disposeGates).
 */
export function recordGates(ctx: ProbeContext): Gates {
  const gates: Gates = { relu: new Map(), pool: new Map() };
  const r = ctx.net.forward(ctx.before, ctx.x, { ...ctx.forward, gates: { record: gates } });
  r.output.dispose();
  disposeStats(r.batchStats);
  return gates;
}

/**
 * Why the gates fail to reproduce the forward pass at w, or undefined when they do. Replayed at the
 * weights they were recorded at, relu(a) = a 1[a > 0] and maxPool(a) = sum_j window_j 1[j = argmax]
 * give the very outputs of tf.relu and tf.maxPool (x 1 + 0 + 0 + 0 = x exactly in float32), so the
 * network's outputs must agree: max |out_replay - out| <= 1e-4 max(1, max |out|) (round-off slack for
 * backends whose kernels differ between the two paths). A backend kernel that breaks the gates (as
 * tfjs-backend-wasm 4.22's OneHot with a float32 dtype did, see network.ts maxPool2x2) would
 * otherwise make every product a Hessian of another function, silently. Two forward passes, one
 * readback.
 */
export async function replayMismatch(ctx: ProbeContext, gates: Gates): Promise<string | undefined> {
  const plain = ctx.net.forward(ctx.before, ctx.x, ctx.forward);
  const replay = ctx.net.forward(ctx.before, ctx.x, { ...ctx.forward, gates: { replay: gates } });
  const both = tf.tidy(() =>
    tf.stack([tf.max(tf.abs(tf.sub(replay.output, plain.output))), tf.max(tf.abs(plain.output))]),
  );
  for (const r of [plain, replay]) {
    r.output.dispose();
    disposeStats(r.batchStats);
  }
  const [diff, scale] = Array.from(await both.data()) as [number, number];
  both.dispose();
  // A NaN output (diverged weights) is the loss check's business, not a gate failure.
  if (!Number.isFinite(scale) || diff <= 1e-4 * Math.max(1, scale)) return undefined;
  return (
    `the recorded ReLU masks and max-pool choices, replayed at w, change the network's output ` +
    `(max |difference| ${diff.toPrecision(3)}, max |output| ${scale.toPrecision(3)}): this backend's ` +
    'kernels break the frozen gates, so the finite differences would not give the Hessian of this loss'
  );
}

export function disposeGates(gates: Gates): void {
  tf.dispose([...gates.relu.values(), ...gates.pool.values()]);
  gates.relu.clear();
  gates.pool.clear();
}
