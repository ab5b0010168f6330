/**
 * Theorem 4.1 of the paper, in the form its proof gives (PAPER.md section 4), measured per BN unit.
 * For unit j of a batch-norm layer with m elements per unit (N for a linear layer, N*H*W for conv),
 * y the BN input, mu = (1/m) sum y and var = (1/m) sum (y - mu)^2 (biased, the batch statistics),
 * sigma^2 = var + eps (what batchNorm.ts divides by), y_hat = (y - mu) / sigma, z = gamma y_hat + beta
 * the BN output and g_hat = dL/dz:
 *
 *   dL/dy = (gamma / sigma) (g_hat - (1/m) <1, g_hat> 1 - (1/m) <g_hat, y_hat> y_hat)          (exact)
 *
 * Squaring, with <1, y_hat> = 0 and ||y_hat||^2 = m var / (var + eps) = m (1 - eps / sigma^2):
 *
 *   ||dL/dy||^2 = (gamma^2 / sigma^2) (||g_hat||^2 - (1/m) <1, g_hat>^2
 *                                      - (1 + eps / sigma^2) (1/m) <g_hat, y_hat>^2).
 *
 * The paper's form drops the eps / sigma^2 part of the last coefficient: it is exact only for eps -> 0,
 * and its right-hand side exceeds the true ||dL/dy||^2 by (gamma^2 / sigma^2) (eps / sigma^2) x the
 * projection term, a relative O(eps / var) error that matters only for units whose batch variance is
 * comparable to eps. This probe logs the paper's terms and, as the prediction, the exact form above:
 *
 *   probe/bnGradients/layer{i}/factor               mean over units of gamma_j^2 / sigma_j^2
 *   probe/bnGradients/layer{i}/grad_out_sq          sum over units of ||g_hat_j||^2
 *   probe/bnGradients/layer{i}/mean_term            sum over units of (1/m) <1, g_hat_j>^2
 *   probe/bnGradients/layer{i}/proj_term            sum over units of (1/m) <g_hat_j, y_hat_j>^2
 *   probe/bnGradients/layer{i}/grad_in_sq           sum over units of ||dL/dy_j||^2, by autodiff
 *   probe/bnGradients/layer{i}/grad_in_sq_predicted sum over units of the exact right-hand side
 *
 * How the terms are measured, in one forward + backward pass at w_{k-1} on step k's minibatch with its
 * own batch statistics and noise (Algorithm 1's noise comes after z, so g_hat is the gradient before
 * it): zero offsets added at y and at z (ForwardOptions.offsets) have gradients dL/dy and g_hat, and
 *
 *   <1, g_hat_j> = sum g_hat_j,     <g_hat_j, y_hat_j> = dL/dgamma_j     (z = gamma y_hat + beta),
 *
 * so y_hat is never materialized: no division by gamma (unstable when gamma ~ 0) and no replica of the
 * network's layers. sigma^2 = var + eps comes from the forward pass's batch statistics. Running
 * estimates are never updated.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricPoint } from '../../../shared/events';
import type { BnGradientsData, ProbeRecord } from '../../../shared/probes';
import { disposeStats } from '../models/runningStats';
import type { NormStats } from '../norms/normStats';
import type { ParamMap } from '../models/networkTypes';
import type { ProbeContext, ProbeResult } from './probe';

/** Per-unit vectors per layer in the packed read, in this order. */
const FIELDS = ['factor', 'gradOutSq', 'meanTerm', 'projTerm', 'gradInSq', 'variance'] as const;
type Field = (typeof FIELDS)[number];

/**
 * The decomposition for each of `layers` (1-based; duplicates ignored) at step k: six points and one
 * record of per-unit arrays per layer. Networks without batch norm get one record with `error`.
 */
export async function measureBnGradients(ctx: ProbeContext, layers: readonly number[]): Promise<ProbeResult> {
  const { net } = ctx;
  const kind = net.config.normalization;
  if (kind !== 'batch' && kind !== 'noisy-batch') {
    return {
      points: [],
      records: [
        { probe: 'bnGradients', step: ctx.step, data: { error: 'the network has no batch normalization' } },
      ],
      passes: { forward: 0, backward: 0 },
    };
  }
  const order = [...new Set(layers)];
  if (order.length === 0) return { points: [], records: [], passes: { forward: 0, backward: 0 } };
  for (const layer of order) {
    if (!Number.isInteger(layer) || layer < 1 || layer > net.numLayers) {
      throw new Error(`measureBnGradients: no layer ${layer} (the network has ${net.numLayers})`);
    }
  }
  const eps = net.config.eps;
  const batch = ctx.x.shape[0] as number;
  const shapes = order.map((layer) => net.layerOutputShape(layer, batch));
  const widths = order.map((layer) => net.layerWidths[layer - 1] as number);
  const perUnit = (k: number): number => {
    const shape = shapes[k] as number[];
    return shape.reduce((a, b) => a * b, 1) / (shape[shape.length - 1] as number);
  };

  const packed = tf.tidy(() => terms(ctx, order, shapes, eps));
  let values: tf.TypedArray;
  try {
    values = await packed.data();
  } finally {
    packed.dispose();
  }

  const points: MetricPoint[] = [];
  const records: ProbeRecord[] = [];
  let offset = 0;
  order.forEach((layer, k) => {
    const width = widths[k] as number;
    const m = perUnit(k);
    const field = {} as Record<Field, number[]>;
    for (const name of FIELDS) {
      field[name] = Array.from(values.subarray(offset, offset + width));
      offset += width;
    }
    const predicted = field.factor.map((factor, j) => {
      const sigmaSq = (field.variance[j] as number) + eps;
      const proj = (1 + eps / sigmaSq) * (field.projTerm[j] as number);
      return factor * ((field.gradOutSq[j] as number) - (field.meanTerm[j] as number) - proj);
    });
    const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
    const series: [string, number][] = [
      ['factor', sum(field.factor) / width],
      ['grad_out_sq', sum(field.gradOutSq)],
      ['mean_term', sum(field.meanTerm)],
      ['proj_term', sum(field.projTerm)],
      ['grad_in_sq', sum(field.gradInSq)],
      ['grad_in_sq_predicted', sum(predicted)],
    ];
    const data: BnGradientsData = {
      layer,
      m,
      eps,
      ...field,
      gradInSqPredicted: predicted,
    };
    if (series.every(([, v]) => Number.isFinite(v))) {
      for (const [name, value] of series) {
        points.push({ series: `probe/bnGradients/layer${layer}/${name}`, step: ctx.step, value });
      }
    } else {
      data.error = 'non-finite gradients or statistics (has the run diverged?)';
    }
    records.push({ probe: 'bnGradients', step: ctx.step, data });
  });
  return { points, records, passes: { forward: 0, backward: 1 } };
}

/**
 * The per-unit FIELDS of every probed layer, concatenated: one forward + backward with zero offsets
 * at y_i and z_i, differentiated with respect to the offsets and gamma_i.
 */
function terms(
  ctx: ProbeContext,
  order: readonly number[],
  shapes: readonly number[][],
  eps: number,
): tf.Tensor1D {
  const { net } = ctx;
  const count = order.length;
  const gammaOf = (layer: number): tf.Tensor => {
    const g = ctx.before[`layer${layer}.gamma`];
    if (!g) throw new Error(`measureBnGradients: parameter layer${layer}.gamma is missing`);
    return g;
  };
  const xs = [
    ...shapes.map((s) => tf.zeros(s)),
    ...shapes.map((s) => tf.zeros(s)),
    ...order.map((layer) => gammaOf(layer)),
  ];
  let stats = new Map<number, NormStats>();
  const { value, grads } = tf.valueAndGrads((...args: tf.Tensor[]) => {
    const params: ParamMap = { ...ctx.before };
    const linear = new Map<number, tf.Tensor>();
    const normalized = new Map<number, tf.Tensor>();
    order.forEach((layer, k) => {
      linear.set(layer, args[k] as tf.Tensor);
      normalized.set(layer, args[count + k] as tf.Tensor);
      params[`layer${layer}.gamma`] = args[2 * count + k] as tf.Tensor;
    });
    const r = net.forward(params, ctx.x, { ...ctx.forward, offsets: { linear, normalized } });
    stats = r.batchStats;
    return ctx.loss(r.output);
  })(xs);
  value.dispose();
  try {
    return tf.concat(
      order.flatMap((layer, k) => {
        const dy = grads[k] as tf.Tensor;
        const gHat = grads[count + k] as tf.Tensor;
        const dGamma = grads[2 * count + k] as tf.Tensor;
        const axes = Array.from({ length: dy.rank - 1 }, (_, a) => a);
        const m = dy.size / (dy.shape[dy.rank - 1] as number);
        const variance = stats.get(layer)?.scale;
        if (!variance) throw new Error(`measureBnGradients: no batch statistics for layer ${layer}`);
        const fields: Record<Field, tf.Tensor> = {
          factor: tf.div(tf.square(gammaOf(layer)), tf.add(variance, eps)),
          gradOutSq: tf.sum(tf.square(gHat), axes),
          meanTerm: tf.div(tf.square(tf.sum(gHat, axes)), m),
          projTerm: tf.div(tf.square(dGamma), m),
          gradInSq: tf.sum(tf.square(dy), axes),
          variance,
        };
        return FIELDS.map((f) => tf.reshape(fields[f], [-1]));
      }),
    ) as tf.Tensor1D;
  } finally {
    disposeStats(stats);
  }
}
