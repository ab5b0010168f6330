/**
 * A ProbeContext for probe tests: step k of plain SGD from `params` (w_{k-1}) on one batch, with
 * g = grad L(w_{k-1}) from lossAndGradients and w_k = w_{k-1} - lr g (or the caller's own `after`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import { lossAndGradients } from '../../../../src/main/engine/models/lossAndGradients';
import { disposeStats } from '../../../../src/main/engine/models/runningStats';
import type { ForwardOptions, Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import type { ProbeContext } from '../../../../src/main/engine/probes/probe';

export interface ProbeContextInput {
  net: Network;
  /** w_{k-1}; stays the caller's. */
  params: ParamMap;
  x: tf.Tensor;
  y: tf.Tensor;
  loss: (output: tf.Tensor2D, target: tf.Tensor) => tf.Scalar;
  lr: number;
  /** Default 1. */
  step?: number;
  /** Default { training: true }. */
  forward?: ForwardOptions;
  /** w_k instead of the SGD step; stays the caller's. */
  after?: ParamMap;
  /** Default: an sgd experiment around net.config (dln25 on dln-synthetic, the others on cifar10). */
  config?: ExperimentConfig;
}

export interface TestProbeContext {
  ctx: ProbeContext;
  /** Releases what makeProbeContext created (the gradients, w_k unless given); not params, x, y. */
  dispose(): void;
}

export function makeProbeContext(input: ProbeContextInput): TestProbeContext {
  const { net, params, x, y, lr } = input;
  const forward = input.forward ?? { training: true };
  const loss = (output: tf.Tensor2D): tf.Scalar => input.loss(output, y);
  const r = lossAndGradients(net, params, x, loss, forward);
  r.output.dispose();
  disposeStats(r.batchStats);
  const lossValue = r.loss.dataSync()[0] as number;
  r.loss.dispose();
  const owned: tf.Tensor[] = Object.values(r.grads);
  let after = input.after;
  if (!after) {
    const stepped: ParamMap = {};
    for (const p of net.params) {
      stepped[p.name] = tf.tidy(() =>
        tf.sub(params[p.name] as tf.Tensor, tf.mul(r.grads[p.name] as tf.Tensor, lr)),
      );
      owned.push(stepped[p.name] as tf.Tensor);
    }
    after = stepped;
  }
  const config =
    input.config ??
    experimentSchema.parse({
      model: net.config,
      data: { dataset: net.config.network === 'dln25' ? 'dln-synthetic' : 'cifar10' },
      optimizer: { name: 'sgd', lr },
      schedule: { steps: 1 },
    });
  const ctx: ProbeContext = {
    net,
    config,
    step: input.step ?? 1,
    before: params,
    after,
    grads: r.grads,
    x,
    y,
    loss,
    forward,
    lossValue,
    lr,
  };
  return { ctx, dispose: () => owned.forEach((t) => t.dispose()) };
}

/** Every tensor a context holds (to check that a probe disposed none of them). */
export function contextTensors(ctx: ProbeContext): tf.Tensor[] {
  return [
    ...Object.values(ctx.before),
    ...Object.values(ctx.after),
    ...Object.values(ctx.grads),
    ctx.x,
    ctx.y,
  ];
}
