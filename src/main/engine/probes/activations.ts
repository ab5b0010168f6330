/**
 * Activation distributions (PAPER.md section 4; the paper's Figs 1, 2, 6, 8, 9). For each probed
 * layer i one fixed, randomly chosen unit j; at step k the pre-activation values a_i[:, j] (after the
 * normalization and Algorithm 1's noise, before the ReLU) over the minibatch, N values for a linear
 * layer and N*H*W for a conv layer, summarized as
 *
 *   mean = (1/m) sum a,   variance = (1/m) sum (a - mean)^2   (over the m values, biased),
 *
 * their min and max, and a histogram of `bins` equal-width bins over [min, max]: bin b counts the
 * values with edges[b] <= a < edges[b+1], the last bin also holding a = max. When every value is the
 * same (min = max, e.g. batch norm with one example) the edges span [min - 0.5, max + 0.5] instead, the
 * value counts in the middle bin floor(bins / 2), and the record says `degenerate: true`.
 *
 * One extra forward pass at w_{k-1} with the step's own noise and batch statistics (ctx.forward), so
 * the values are exactly the ones step k trained with; running estimates are never touched.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricPoint } from '../../../shared/events';
import type { ProbeRecord } from '../../../shared/probes';
import { disposeStats } from '../models/runningStats';
import { deriveSeed } from '../rng/seeds';
import type { ProbeContext, ProbeResult } from './probe';

/**
 * The unit j of layer `layer` that the activation probe follows: deriveSeed(seed, 'probe-unit', layer)
 * mod width. It depends on the run seed and the layer only, so it is the same at every step, after a
 * resume, and whatever the other probes do.
 */
export function probedUnit(seed: number, layer: number, width: number): number {
  if (!Number.isInteger(width) || width < 1) throw new Error(`probedUnit: bad layer width ${width}`);
  return deriveSeed(seed, 'probe-unit', layer) % width;
}

/** Summary layout per layer in the one packed read: 4 scalars, then the bins counts. */
const HEAD = ['min', 'max', 'mean', 'variance'] as const;

/**
 * Mean, variance and a `bins`-bin histogram of the probed unit of each of `layers` (1-based) at step k:
 * two points and one record per layer.
 */
export async function measureActivations(
  ctx: ProbeContext,
  layers: readonly number[],
  bins: number,
): Promise<ProbeResult> {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`measureActivations: bad bin count ${bins}`);
  const { net } = ctx;
  const units = new Map<number, number>();
  for (const layer of layers) {
    const width = net.layerWidths[layer - 1];
    if (!Number.isInteger(layer) || width === undefined) {
      throw new Error(`measureActivations: no layer ${layer} (the network has ${net.numLayers})`);
    }
    units.set(layer, probedUnit(ctx.config.seed, layer, width));
  }
  const order = [...units.keys()];
  if (order.length === 0) return { points: [], records: [], passes: { forward: 0, backward: 0 } };
  const sizes = new Map<number, number>();
  const values = new Map<number, tf.Tensor1D>();
  let packed: tf.TypedArray;
  try {
    tf.tidy(() => {
      const r = net.forward(ctx.before, ctx.x, {
        ...ctx.forward,
        capture: (layer, a) => {
          const unit = units.get(layer);
          if (unit === undefined) return;
          const v = tf.keep(unitValues(a, unit));
          values.set(layer, v);
          sizes.set(layer, v.size);
        },
      });
      disposeStats(r.batchStats);
    });
    const summary = tf.tidy(() =>
      tf.concat(order.map((layer) => summarize(values.get(layer) as tf.Tensor1D, bins))),
    );
    try {
      packed = await summary.data();
    } finally {
      summary.dispose();
    }
  } finally {
    for (const v of values.values()) v.dispose();
  }

  const points: MetricPoint[] = [];
  const records: ProbeRecord[] = [];
  const stride = HEAD.length + bins;
  order.forEach((layer, k) => {
    const at = (o: number): number => packed[k * stride + o] as number;
    const [min, max, mean, variance] = HEAD.map((_, o) => at(o)) as [number, number, number, number];
    const unit = units.get(layer) as number;
    const count = sizes.get(layer) as number;
    if (![min, max, mean, variance].every(Number.isFinite)) {
      records.push({
        probe: 'activations',
        step: ctx.step,
        data: {
          layer,
          unit,
          count,
          error: 'the unit has non-finite pre-activations (has the run diverged?)',
        },
      });
      return;
    }
    const degenerate = min === max;
    const lo = degenerate ? min - 0.5 : min;
    const hi = degenerate ? max + 0.5 : max;
    const edges = Array.from({ length: bins + 1 }, (_, b) => (b === bins ? hi : lo + ((hi - lo) * b) / bins));
    const counts = Array.from({ length: bins }, (_, b) => at(HEAD.length + b));
    points.push(
      { series: `probe/activations/layer${layer}/mean`, step: ctx.step, value: mean },
      { series: `probe/activations/layer${layer}/var`, step: ctx.step, value: variance },
    );
    records.push({
      probe: 'activations',
      step: ctx.step,
      data: { layer, unit, edges, counts, count, mean, variance, min, max, degenerate },
    });
  });
  return { points, records, passes: { forward: 1, backward: 0 } };
}

/** a[..., unit] flattened over N (and H, W): the m values of one unit. */
function unitValues(a: tf.Tensor, unit: number): tf.Tensor1D {
  const width = a.shape[a.rank - 1] as number;
  return tf.reshape(tf.slice(tf.reshape(a, [-1, width]), [0, unit], [-1, 1]), [-1]);
}

/**
 * [min, max, mean, variance, counts[0..bins-1]] of one unit's values, on the device. The bin of a is
 * floor((a - min) / w), w = (max - min) / bins, clipped to [0, bins - 1] (a = max lands in the last
 * bin). When min = max the range is [min - 0.5, max + 0.5]: w = 1 / bins and every value, exactly
 * min, goes to bin floor(bins / 2) (written so, not as (a - lo) / w, to stay exact in float32).
 * Counting is a bincount, which the cpu, wasm and webgpu backends all implement.
 */
function summarize(v: tf.Tensor1D, bins: number): tf.Tensor1D {
  return tf.tidy(() => {
    const min = tf.min(v);
    const max = tf.max(v);
    const mean = tf.div(tf.sum(v), v.size);
    const variance = tf.div(tf.sum(tf.square(tf.sub(v, mean))), v.size);
    const degenerate = tf.cast(tf.equal(min, max), 'float32');
    const width = tf.div(tf.add(tf.sub(max, min), degenerate), bins);
    const position = tf.add(tf.div(tf.sub(v, min), width), tf.mul(degenerate, bins / 2));
    const index = tf.clipByValue(tf.floor(position), 0, bins - 1);
    const counts = tf.bincount(tf.cast(index, 'int32') as tf.Tensor1D, tf.tensor1d([], 'float32'), bins);
    return tf.concat([tf.stack([min, max, mean, variance]), counts]) as tf.Tensor1D;
  });
}
