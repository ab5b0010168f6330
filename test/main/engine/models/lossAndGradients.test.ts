import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema, NORMALIZATIONS, type ModelConfig } from '../../../../src/shared/config';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { disposeStats } from '../../../../src/main/engine/models/runningStats';
import { initParams } from '../../../../src/main/engine/models/params';
import type { ForwardOptions, Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { lossAndGradients } from '../../../../src/main/engine/models/lossAndGradients';
import { softmaxCrossEntropy } from '../../../../src/main/engine/losses/crossEntropy';
import { sumSquaredError } from '../../../../src/main/engine/losses/sumSquaredError';
import { makeAlgorithm1Noise } from '../../../../src/main/engine/norms/noisyBatchNorm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  net: Network;
  x: tf.Tensor;
  loss: (out: tf.Tensor2D) => tf.Scalar;
  opts: ForwardOptions;
}

/**
 * Directional derivatives of the loss along unit random directions d over all parameters: the
 * analytic <grad L, d> against (L(w + h d) - L(w - h d)) / 2h.
 */
function directionalDerivatives(c: Case, params: ParamMap, h: number, seeds: number[]): [number, number][] {
  const { loss: l, grads, output, batchStats } = lossAndGradients(c.net, params, c.x, c.loss, c.opts);
  const results = seeds.map((seed) =>
    tf.tidy(() => {
      const raw = c.net.params.map((p, k) => tf.randomNormal(p.shape, 0, 1, 'float32', seed * 1000 + k));
      const norm = tf.sqrt(tf.addN(raw.map((d) => tf.sum(tf.square(d)))));
      const d = raw.map((t) => tf.div(t, norm));
      const at = (sign: number): number =>
        tf.tidy(() => {
          const moved: ParamMap = {};
          c.net.params.forEach((p, k) => {
            moved[p.name] = tf.add(params[p.name] as tf.Tensor, tf.mul(d[k] as tf.Tensor, sign * h));
          });
          const r = c.net.forward(moved, c.x, c.opts);
          disposeStats(r.batchStats);
          return c.loss(r.output).dataSync()[0] as number;
        });
      const numeric = (at(1) - at(-1)) / (2 * h);
      const analytic = c.net.params.reduce(
        (s, p, k) =>
          s + (tf.sum(tf.mul(grads[p.name] as tf.Tensor, d[k] as tf.Tensor)).dataSync()[0] as number),
        0,
      );
      return [analytic, numeric] as [number, number];
    }),
  );
  l.dispose();
  output.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  disposeStats(batchStats);
  return results;
}

function config(input: Partial<ModelConfig> & { network: ModelConfig['network'] }): ModelConfig {
  return modelSchema.parse(input);
}

describe('network gradients against finite differences', () => {
  for (const normalization of NORMALIZATIONS) {
    it(`vgg-tiny (width 1/4, batch 2), ${normalization}`, () => {
      const cfg = config({ network: 'vgg-tiny', widthMultiplier: 0.25, normalization });
      const net = buildNetwork(cfg, { inputShape: [32, 32, 3], outputSize: 10 });
      const params = initParams(net, 11);
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 12);
      const labels = tf.tensor1d([3, 7], 'int32');
      const opts: ForwardOptions = { training: true, noise: makeAlgorithm1Noise(cfg.noisy, 13) };
      const pairs = directionalDerivatives(
        { net, x, loss: (o) => softmaxCrossEntropy(o, labels), opts },
        params,
        1e-3,
        [1, 3],
      );
      // ReLU and max-pool kinks within h of w make some difference quotients a few % off (they grow
      // with h: 1e-2 gives up to 20%); a wrong normalization gradient is off by far more.
      for (const [analytic, numeric] of pairs) {
        expect(Math.abs(analytic - numeric)).toBeLessThan(0.04 * Math.abs(numeric) + 5e-4);
      }
      [x, labels, ...Object.values(params)].forEach((t) => t.dispose());
    });
  }

  it('dln25 with batch norm, summed squared error', () => {
    const net = buildNetwork(config({ network: 'dln25', normalization: 'batch' }), {
      inputShape: [10],
      outputSize: 10,
    });
    const params = initParams(net, 21);
    const x = tf.randomNormal([16, 10], 0, 1, 'float32', 22);
    const target = tf.matMul(x, tf.randomNormal([10, 10], 0, 1, 'float32', 23));
    const pairs = directionalDerivatives(
      { net, x, loss: (o) => sumSquaredError(o, target), opts: { training: true } },
      params,
      1e-3,
      [4, 5],
    );
    // Smooth (no ReLU): only float32 round-off separates the two.
    for (const [analytic, numeric] of pairs)
      expect(Math.abs(analytic - numeric)).toBeLessThan(0.005 * Math.abs(numeric));
    [x, target, ...Object.values(params)].forEach((t) => t.dispose());
  });

  it('mlp with l2 normalization', () => {
    const net = buildNetwork(config({ network: 'mlp', hidden: [6, 5], normalization: 'l2' }), {
      inputShape: [4],
      outputSize: 3,
    });
    const params = initParams(net, 31);
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 32);
    const labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    const pairs = directionalDerivatives(
      { net, x, loss: (o) => softmaxCrossEntropy(o, labels), opts: { training: true } },
      params,
      3e-3,
      [6, 7],
    );
    for (const [analytic, numeric] of pairs)
      expect(Math.abs(analytic - numeric)).toBeLessThan(0.005 * Math.abs(numeric));
    [x, labels, ...Object.values(params)].forEach((t) => t.dispose());
  });
});

describe('lossAndGradients', () => {
  it('returns a gradient per parameter and leaves no tensors behind once its results are disposed', () => {
    const cfg = config({ network: 'vgg-tiny', widthMultiplier: 0.25, normalization: 'noisy-batch' });
    const net = buildNetwork(cfg, { inputShape: [32, 32, 3], outputSize: 10 });
    const params = initParams(net, 1);
    const vars: ParamMap = {};
    for (const [k, t] of Object.entries(params)) vars[k] = tf.variable(t);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 2);
    const labels = tf.tensor1d([1, 2], 'int32');
    const before = tf.memory().numTensors;
    for (let rep = 0; rep < 2; rep++) {
      const r = lossAndGradients(net, vars, x, (o) => softmaxCrossEntropy(o, labels), {
        training: true,
        noise: makeAlgorithm1Noise(cfg.noisy, rep),
      });
      expect(Object.keys(r.grads)).toEqual(net.params.map((p) => p.name));
      for (const p of net.params) expect(r.grads[p.name]?.shape).toEqual(p.shape);
      expect(r.output.shape).toEqual([2, 10]);
      expect([...r.batchStats.keys()]).toEqual([1, 2, 3]);
      expect(tf.memory().numTensors).toBe(before + 2 + net.params.length + 6);
      r.loss.dispose();
      r.output.dispose();
      Object.values(r.grads).forEach((g) => g.dispose());
      disposeStats(r.batchStats);
      expect(tf.memory().numTensors).toBe(before);
    }
    [x, labels, ...Object.values(params), ...Object.values(vars)].forEach((t) => t.dispose());
  });
});
