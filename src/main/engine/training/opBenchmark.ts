/**
 * The kernels of one training step, timed one by one on the current backend through tfjs's public
 * ops and kernel calls, so what is measured is whatever kernel is registered (NormLab's wasm kernels,
 * or the backend's own): the 3x3 'same' convolution (tf.conv2d), its filter and input gradients (the
 * Conv2DBackpropFilter / Conv2DBackpropInput kernels with the attributes conv2d's gradient passes),
 * the bias gradient (the Sum over N, H, W that the broadcast add's gradient runs), BatchNorm in
 * training mode as the engine runs it (norms/batchNorm.ts, forward and its custom gradient), the
 * registered ReLU gradient and the MaxPoolGrad kernel of a 2x2 stride-2 pool.
 *
 * Each op: `warmup` calls, then the median wall time of `reps` calls, as bench/torch_ops.py measures
 * PyTorch's. Inputs are random normal with fixed seeds.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/registerGradients';
import {
  convFlops,
  opApplies,
  opKindsOf,
  opLayers,
  opShape,
  CONV_OP_KINDS,
  type OpBenchResult,
  type OpBenchSpec,
  type OpKind,
  type OpLayer,
  type OpTiming,
} from '../../../shared/bench';
import { batchNormTrain } from '../norms/batchNorm';
import type { NormStats } from '../norms/normStats';

/** BatchNorm's epsilon: the config's default (shared/config.ts), and PyTorch's. */
const BN_EPS = 1e-5;

type Outputs = tf.Tensor | tf.Tensor[];

/**
 * Times the ops of `spec.shapeSet` on `layers` (default: the set's conv layers, opLayers), reporting
 * each timing as it is measured. `layers` exists so tests can time tiny shapes.
 */
export async function benchmarkOps(
  spec: OpBenchSpec,
  layers: readonly OpLayer[] = opLayers(spec.shapeSet),
  onTiming?: (t: OpTiming) => void,
): Promise<OpBenchResult> {
  const timings: OpTiming[] = [];
  const kinds = opKindsOf(spec.shapeSet);
  for (const layer of layers) {
    const ops = opsFor(layer, spec.batchSize, kinds);
    try {
      for (const [op, run] of ops.runs) {
        const ms = await medianMs(run, spec.warmup, spec.reps);
        const timing: OpTiming = {
          op,
          shapeSet: spec.shapeSet,
          layer: layer.index,
          shape: opShape(op, layer, spec.batchSize),
          ms,
          ...(CONV_OP_KINDS.includes(op) ? { gflops: convFlops(layer, spec.batchSize) / (ms * 1e6) } : {}),
        };
        timings.push(timing);
        onTiming?.(timing);
      }
    } finally {
      tf.dispose(ops.inputs);
    }
  }
  return { ...spec, timings };
}

/** The inputs of one layer's ops (disposed by the caller) and each op as a call returning its outputs. */
function opsFor(
  layer: OpLayer,
  n: number,
  kinds: readonly OpKind[],
): { inputs: tf.Tensor[]; runs: [OpKind, () => Outputs][] } {
  const { size: s, inChannels: c, outChannels: k } = layer;
  const seed = 1000 * layer.index;
  const x = tf.randomNormal([n, s, s, c], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
  // He-scaled filters, as the network initializes them; the scale does not change the timings.
  const w = tf.randomNormal([3, 3, c, k], 0, Math.sqrt(2 / (9 * c)), 'float32', seed + 2) as tf.Tensor4D;
  const dy = tf.randomNormal([n, s, s, k], 0, 1, 'float32', seed + 3) as tf.Tensor4D;
  const inputs: tf.Tensor[] = [x, w, dy];
  const make = <T extends tf.Tensor>(t: T): T => {
    inputs.push(t);
    return t;
  };
  // conv2d(x, w, 1, 'same') records these attributes, and its gradient passes them on.
  const convAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' } as const;
  const all: Record<OpKind, () => () => Outputs> = {
    'conv-forward': () => () => tf.conv2d(x, w, 1, 'same'),
    'conv-dw': () => () =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...convAttrs, filterShape: [3, 3, c, k] }),
    'conv-dx': () => () =>
      tf
        .engine()
        .runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { ...convAttrs, inputShape: [n, s, s, c] }),
    // The gradient of z + b (b broadcast over N, H, W) is dy summed over those axes.
    'bias-grad': () => () => tf.sum(dy, [0, 1, 2]),
    bn: () => {
      const y = make(tf.randomNormal([n, s, s, k], 0, 1, 'float32', seed + 4));
      const gamma = make(tf.ones([k]));
      const beta = make(tf.zeros([k]));
      return () => {
        let stats: NormStats | undefined;
        const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
          const r = batchNormTrain(a, g, b, BN_EPS);
          stats = r.stats;
          return r.out;
        };
        // Forward (its value is disposed by tf.grads) and the gradient w.r.t. y, gamma and beta.
        const grads = tf.grads(f)([y, gamma, beta], dy);
        // The engine keeps the batch statistics for the running estimates; here they are dropped.
        if (stats) tf.dispose([stats.mean, stats.scale]);
        return grads;
      };
    },
    'relu-grad': () => {
      const pre = make(tf.randomNormal([n, s, s, k], 0, 1, 'float32', seed + 5));
      // Whichever Relu gradient is registered (wasm: backends/wasm/reluGrad.ts); Relu saves its input.
      const grad = tf.getGradient(tf.Relu);
      return () => {
        const fn = grad.gradFunc(dy, [pre], {}).x;
        if (!fn) throw new Error('the registered Relu gradient has no x gradient');
        return fn();
      };
    },
    'maxpool-grad': () => {
      const a = make(tf.randomNormal([n, s, s, k], 0, 1, 'float32', seed + 6) as tf.Tensor4D);
      const pooled = make(tf.maxPool(a, 2, 2, 'valid'));
      const dyPool = make(tf.randomNormal(pooled.shape, 0, 1, 'float32', seed + 7));
      // What maxPool's gradient runs; the pool's forward is not timed.
      return () =>
        tf
          .engine()
          .runKernel(
            tf.MaxPoolGrad,
            { dy: dyPool, input: a, output: pooled },
            { filterSize: 2, strides: 2, pad: 'valid' },
          );
    },
  };
  const runs = kinds
    .filter((op) => opApplies(op, layer))
    .map((op): [OpKind, () => Outputs] => [op, all[op]()]);
  return { inputs, runs };
}

async function medianMs(run: () => Outputs, warmup: number, reps: number): Promise<number> {
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const out = tf.tidy(run);
    await settle(out);
    const ms = performance.now() - t0;
    tf.dispose(out);
    return ms;
  };
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await once());
  return median(times);
}

/** Backends whose kernels have finished computing when they return (tfjs runs them synchronously). */
const SYNCHRONOUS_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * Waits until every output is computed. On wasm and cpu a kernel returns done, so nothing is read:
 * even one element through tf.slice costs wasm's Slice 12-17 ms on a 32 MB activation, time the
 * kernel did not spend. On an asynchronous backend (webgpu) it reads back each output's first
 * element, which waits for the queue.
 */
export async function settle(out: Outputs): Promise<void> {
  if (SYNCHRONOUS_BACKENDS.has(tf.getBackend())) return;
  for (const t of Array.isArray(out) ? out : [out]) {
    const first = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), 0, 1));
    await first.data();
    first.dispose();
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
