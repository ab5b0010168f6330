/**
 * The networks of PAPER.md section 1 as pure functions of their parameters: `forward(params, x, opts)`
 * touches no state, so a probe can evaluate L(w - eta g), re-run a step with other weights, or capture
 * pre-activations without disturbing training.
 *
 * Every hidden layer i = 1..numLayers ("normalizable" layers: conv, then hidden linear) computes
 *
 *   z_i = W_i * h_{i-1} + b_i,   a_i = Norm_i(z_i) (+ Algorithm 1 noise),   h_i = ReLU(a_i) (then 2x2 max-pool)
 *
 * and the output layer numLayers+1 is a plain linear map, never normalized. dln25 has no bias and no
 * ReLU. Tensors are NHWC; conv filters are [3, 3, in, out] with 'same' padding; linear maps act on
 * row vectors, h W with W [in, out] (so dln25 computes x W_1 ... W_25, the transpose of the paper's
 * W_25 ... W_1 x).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradient functions by itself; training and the probes differentiate networks.
import '../tf/registerGradients';
import type { ModelConfig } from '../../../shared/config';
import { normalizeEval, normalizeTrain } from '../norms/normalization';
import type { NormStats } from '../norms/normStats';
import { applyNoise } from '../norms/noisyBatchNorm';
import { architectureFor } from './architecture';
import type { Architecture, HiddenLayer } from './layerPlan';
import type { ForwardOptions, ForwardResult, Network, ParamMap } from './networkTypes';
import { paramSpecs } from './params';

export function buildNetwork(
  config: ModelConfig,
  task: { inputShape: readonly number[]; outputSize: number },
): Network {
  const arch = architectureFor(config, task);
  const specs = paramSpecs(arch, config.normalization !== 'none');
  return {
    config,
    params: specs,
    numLayers: arch.hidden.length,
    inputShape: [...task.inputShape],
    outputSize: task.outputSize,
    layerWidths: arch.hidden.map((l) => l.units),
    forward: (params, x, opts) => forward(arch, config, params, x, opts),
    flopsPerExample: () => flops(arch),
    layerOutputShape: (layer, batch) => {
      const l = arch.hidden[layer - 1];
      if (!l) throw new Error(`layerOutputShape: no layer ${layer} (the network has ${arch.hidden.length})`);
      return l.kind === 'conv' ? [batch, l.inHeight, l.inWidth, l.units] : [batch, l.units];
    },
  };
}

function forward(
  arch: Architecture,
  config: ModelConfig,
  params: ParamMap,
  x: tf.Tensor,
  opts: ForwardOptions,
): ForwardResult {
  const kind = config.normalization;
  const get = (name: string): tf.Tensor => {
    const t = params[name];
    if (!t) throw new Error(`forward: parameter ${name} is missing`);
    return t;
  };
  if (kind !== 'none' && !opts.training && !opts.running) {
    throw new Error('forward: eval mode of a normalized network needs running estimates');
  }
  if (kind === 'noisy-batch' && opts.training && !opts.noise) {
    throw new Error('forward: noisy-batch in training mode needs a noise source (makeAlgorithm1Noise)');
  }
  const batchStats = new Map<number, NormStats>();
  const output = tf.tidy(() => {
    let h: tf.Tensor = arch.flattenInput ? tf.reshape(x, [x.shape[0] as number, -1]) : x;
    for (const layer of arch.hidden) {
      const i = layer.index;
      let a = linearMap(layer, h, get(`layer${i}.weight`), layer.bias ? get(`layer${i}.bias`) : undefined);
      const linearOffset = opts.offsets?.linear?.get(i);
      if (linearOffset) a = tf.add(a, linearOffset);
      const normalizedOffset = opts.offsets?.normalized?.get(i);
      if (kind !== 'none') {
        const gamma = get(`layer${i}.gamma`);
        const beta = get(`layer${i}.beta`);
        if (opts.training) {
          const r = normalizeTrain(kind, a, gamma, beta, config.eps, config.lp);
          batchStats.set(i, { ...r.stats, mean: tf.keep(r.stats.mean), scale: tf.keep(r.stats.scale) });
          a = normalizedOffset ? tf.add(r.out, normalizedOffset) : r.out;
          if (kind === 'noisy-batch' && opts.noise) a = applyNoise(a, opts.noise(i, a.shape));
        } else {
          const running = opts.running?.get(i);
          if (!running) throw new Error(`forward: no running estimates for layer ${i}`);
          a = normalizeEval(kind, a, gamma, beta, running, config.eps);
          if (normalizedOffset) a = tf.add(a, normalizedOffset);
        }
      } else if (normalizedOffset) {
        a = tf.add(a, normalizedOffset);
      }
      opts.capture?.(i, a);
      if (layer.relu) a = relu(a, i, opts.gates);
      if (layer.kind === 'conv' && layer.pool) a = maxPool2x2(a as tf.Tensor4D, i, opts.gates);
      h = a;
    }
    const out = arch.output.index;
    const flat = h.rank === 2 ? h : tf.reshape(h, [h.shape[0] as number, -1]);
    const w = get(`layer${out}.weight`) as tf.Tensor2D;
    const y = tf.matMul(flat as tf.Tensor2D, w);
    return arch.output.bias ? tf.add(y, get(`layer${out}.bias`)) : y;
  });
  return { output: output as tf.Tensor2D, batchStats };
}

function relu(a: tf.Tensor, layer: number, gates: ForwardOptions['gates']): tf.Tensor {
  const mask = gates?.replay?.relu.get(layer);
  if (mask) return tf.mul(a, mask);
  if (gates?.record) gates.record.relu.set(layer, tf.keep(tf.cast(tf.greater(a, 0), 'float32')));
  return tf.relu(a);
}

function maxPool2x2(a: tf.Tensor4D, layer: number, gates: ForwardOptions['gates']): tf.Tensor {
  const choice = gates?.replay?.pool.get(layer);
  if (choice) return tf.sum(tf.mul(windows2x2(a), choice), 4);
  if (gates?.record) {
    // One-hot in int32 (oneHot's default), then cast. Not oneHot(..., 1, 0, 'float32'): tfjs-backend-wasm
    // 4.22's OneHot kernel ignores the dtype and writes int32 1s into the float32 buffer, i.e. the bit
    // pattern 0x00000001 = 1.4e-45, so every replayed pool output was ~0, the network's output was its
    // bias alone, and the Hessian probe measured diag(p) - p p^T of softmax(bias) (top eigenvalue ~0.1
    // at every step). hessian.ts checks that replay reproduces the forward pass (replayMismatch).
    const choice = tf.cast(tf.oneHot(tf.argMax(windows2x2(a), 4), 4), 'float32');
    gates.record.pool.set(layer, tf.keep(choice));
  }
  return tf.maxPool(a, 2, 2, 'valid');
}

/**
 * [N, H, W, C] -> [N, H/2, W/2, C, 4]: the four entries of each 2x2 window, index 2 r + q for row r,
 * column q. Reshapes and rank-4 transposes only (they have gradients on every backend; StridedSlice
 * has none in tfjs): [N H/2, 2, W, C] -> [N H/2, W, C, 2] = [N H/2, W/2, 2 C, 2]... as below.
 */
function windows2x2(a: tf.Tensor4D): tf.Tensor {
  const [n, h, w, c] = a.shape;
  // 'valid' pooling: floor(h/2) x floor(w/2) windows; an odd last row or column is left out.
  const [h2, w2] = [Math.floor(h / 2), Math.floor(w / 2)];
  const even = h % 2 === 0 && w % 2 === 0 ? a : tf.slice(a, [0, 0, 0, 0], [n, 2 * h2, 2 * w2, c]);
  // Row offset r last: [N H/2, 2, 2 W/2, C] -> [N H/2, 2 W/2, C, 2].
  const byRow = tf.transpose(tf.reshape(even, [n * h2, 2, 2 * w2, c]), [0, 2, 3, 1]);
  // Column offset q last: [N H/2, W/2, 2, C 2] -> [N H/2, W/2, C 2, 2], i.e. (C, r, q).
  const byCol = tf.transpose(tf.reshape(byRow, [n * h2, w2, 2, c * 2]), [0, 1, 3, 2]);
  return tf.reshape(byCol, [n, h2, w2, c, 4]);
}

/** z = conv3x3(h, W) + b or z = h W + b. */
function linearMap(layer: HiddenLayer, h: tf.Tensor, w: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor {
  const z =
    layer.kind === 'conv'
      ? tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')
      : tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D);
  return b ? tf.add(z, b) : z;
}

function flops(arch: Architecture): number {
  let madds = arch.output.inFeatures * arch.output.units;
  for (const l of arch.hidden) {
    madds += l.kind === 'conv' ? l.inHeight * l.inWidth * 9 * l.inUnits * l.units : l.inUnits * l.units;
  }
  return 2 * madds;
}
