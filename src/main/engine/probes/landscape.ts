/**
 * The loss landscape along the step's gradient (Santurkar et al. 2018, section 3.1 and Fig 4). With
 * w = w_{k-1}, g = grad L(w) on the step's minibatch and the grid eta = lr x m over the multipliers m,
 * the probe evaluates at w - eta g (same minibatch, training mode, the step's own noise):
 *
 *   (a) loss landscape:          min_eta and max_eta of L(w - eta g);
 *   (b) gradient predictiveness: min_eta and max_eta of ||grad L(w - eta g) - g||_2;
 *   (c) "effective" beta-smoothness: max_eta of ||grad L(w - eta g) - g||_2 / (eta ||g||_2),
 *
 * where the norms run over every parameter of the network at once. (c) is the largest ratio
 * ||grad L(w') - grad L(w)|| / ||w' - w|| seen along the step's direction: a lower bound on the
 * gradient's Lipschitz constant beta there.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NetworkName } from '../../../shared/config';
import type { MetricPoint } from '../../../shared/events';
import type { LandscapeData } from '../../../shared/probes';
import { disposeStats } from '../models/runningStats';
import type { ParamMap } from '../models/networkTypes';
import { lossAndGradients } from '../models/lossAndGradients';
import type { ProbeContext, ProbeResult } from './probe';

/**
 * The paper's eta grids, as multiples of the learning rate: the DLN's {1/100, 1/10, 1, 10, 30} and
 * VGG's {1/2, 1, 2, 4} (used for every other network as well).
 */
export function defaultEtaMultipliers(network: NetworkName): number[] {
  return network === 'dln25' ? [0.01, 0.1, 1, 10, 30] : [0.5, 1, 2, 4];
}

/** `multipliers` empty: the network's default grid. */
export async function measureLandscape(
  ctx: ProbeContext,
  multipliers: readonly number[],
): Promise<ProbeResult> {
  const ms = multipliers.length > 0 ? [...multipliers] : defaultEtaMultipliers(ctx.config.model.network);
  const etas = ms.map((m) => ctx.lr * m);
  const names = ctx.net.params.map((p) => p.name);
  const get = (map: ParamMap, name: string, what: string): tf.Tensor => {
    const t = map[name];
    if (!t) throw new Error(`measureLandscape: ${what} of ${name} is missing`);
    return t;
  };
  // [||g||, then per eta: L(w - eta g), ||grad L(w - eta g) - g||], read back at once.
  const parts: tf.Tensor1D[] = [];
  let values: Float32Array;
  try {
    parts.push(
      tf.tidy(() =>
        tf.reshape(
          tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(get(ctx.grads, n, 'the gradient')))))),
          [1],
        ),
      ),
    );
    for (const eta of etas) {
      parts.push(
        tf.tidy(() => {
          const w: ParamMap = {};
          for (const n of names)
            w[n] = tf.sub(get(ctx.before, n, 'w'), tf.mul(get(ctx.grads, n, 'the gradient'), eta));
          const r = lossAndGradients(ctx.net, w, ctx.x, ctx.loss, ctx.forward);
          r.output.dispose();
          disposeStats(r.batchStats);
          const change = tf.sqrt(
            tf.addN(
              names.map((n) =>
                tf.sum(
                  tf.square(tf.sub(get(r.grads, n, 'grad L(w - eta g)'), get(ctx.grads, n, 'the gradient'))),
                ),
              ),
            ),
          );
          return tf.stack([r.loss, change]) as tf.Tensor1D;
        }),
      );
    }
    const all = tf.concat(parts);
    try {
      values = (await all.data()) as Float32Array;
    } finally {
      all.dispose();
    }
  } finally {
    parts.forEach((t) => t.dispose());
  }
  const gradNorm = values[0] as number;
  const losses = etas.map((_, k) => values[1 + 2 * k] as number);
  const gradChanges = etas.map((_, k) => values[2 + 2 * k] as number);
  const data: LandscapeData = {
    lr: ctx.lr,
    multipliers: ms,
    etas,
    losses,
    gradChanges,
    gradNorm,
    loss: ctx.lossValue,
  };
  return {
    points: bandPoints(ctx.step, etas, losses, gradChanges, gradNorm, data),
    records: [{ probe: 'landscape', step: ctx.step, data }],
    passes: { forward: 0, backward: etas.length },
  };
}

/**
 * Fig 4's bands. A large eta may diverge (a non-finite loss or gradient): that point is a result and
 * stays in the record, but the bands take the min / max over the finite values only (each quantity on
 * its own). With no finite loss at all there is no band: no points, and `data.error` says why.
 */
function bandPoints(
  step: number,
  etas: readonly number[],
  losses: readonly number[],
  gradChanges: readonly number[],
  gradNorm: number,
  data: LandscapeData,
): MetricPoint[] {
  const finiteLosses = losses.filter(Number.isFinite);
  if (finiteLosses.length === 0) {
    data.error = 'no finite loss on the eta grid';
    return [];
  }
  const points: MetricPoint[] = [];
  const add = (name: string, value: number): void => {
    points.push({ series: `probe/landscape/${name}`, step, value });
  };
  add('loss_min', Math.min(...finiteLosses));
  add('loss_max', Math.max(...finiteLosses));
  const finiteChanges = gradChanges.filter(Number.isFinite);
  if (finiteChanges.length > 0) {
    add('grad_change_min', Math.min(...finiteChanges));
    add('grad_change_max', Math.max(...finiteChanges));
  }
  // ||g|| = 0 makes every ratio 0/0: no beta then.
  const betas = gradChanges.map((c, k) => c / ((etas[k] as number) * gradNorm)).filter(Number.isFinite);
  if (betas.length > 0) add('beta_eff', Math.max(...betas));
  return points;
}
