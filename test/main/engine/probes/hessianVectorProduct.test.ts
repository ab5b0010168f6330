import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema } from '../../../../src/shared/config';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { disposeStats } from '../../../../src/main/engine/models/runningStats';
import { initParams } from '../../../../src/main/engine/models/params';
import type { Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { lossAndGradients } from '../../../../src/main/engine/models/lossAndGradients';
import { sumSquaredError } from '../../../../src/main/engine/losses/sumSquaredError';
import { gradientAt, hessianVectorProduct } from '../../../../src/main/engine/probes/hessianVectorProduct';
import type { ProbeContext } from '../../../../src/main/engine/probes/probe';
import { explicitHessian, flatten, matVec, mlpLoss, unflatten } from './explicitHessian';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A probe context for an mlp [2 -> 3 -> 2] regressing 6 Gaussian inputs on Gaussian targets. */
function mlpContext(normalization: 'none' | 'batch', seed: number): ProbeContext {
  const config = experimentSchema.parse({
    seed,
    model: { network: 'mlp', hidden: [3], normalization },
    data: { dataset: 'dln-synthetic', dim: 2 },
    optimizer: { lr: 0.1 },
    schedule: { steps: 1 },
  });
  const net = buildNetwork(config.model, { inputShape: [2], outputSize: 2 });
  const before = initParams(net, seed);
  const x = tf.randomNormal([6, 2], 0, 1, 'float32', seed + 100);
  const y = tf.randomNormal([6, 2], 0, 1, 'float32', seed + 200);
  return {
    net,
    config,
    step: 1,
    before,
    after: before,
    grads: before,
    x,
    y,
    loss: (o) => sumSquaredError(o, y),
    forward: { training: true },
    lossValue: 0,
    lr: 0.1,
  };
}

function disposeContext(ctx: ProbeContext): void {
  [ctx.x, ctx.y, ...Object.values(ctx.before)].forEach((t) => t.dispose());
}

function disposeMap(m: ParamMap): void {
  Object.values(m).forEach((t) => t.dispose());
}

const relErr = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let d = 0;
  let n = 0;
  for (let i = 0; i < want.length; i++) {
    d += ((got[i] as number) - (want[i] as number)) ** 2;
    n += (want[i] as number) ** 2;
  }
  return Math.sqrt(d / n);
};

describe('hessianVectorProduct against a float64 Hessian of the same loss written in plain JS', () => {
  // Seeds whose pre-ReLU values all lie >= 0.05 from 0 (checked below), so no finite difference here
  // (eps ||v|| ~ 3e-3 for the tfjs product, 1.4e-4 for the reference) crosses a ReLU kink.
  for (const [normalization, seed] of [
    ['none', 2],
    ['batch', 5],
  ] as const) {
    it(`mlp [2 -> 3 -> 2], normalization ${normalization}`, () => {
      const ctx = mlpContext(normalization, seed);
      const problem = {
        x: ctx.x.arraySync() as number[][],
        y: ctx.y.arraySync() as number[][],
        hidden: 3,
        batchNorm: normalization === 'batch',
        eps: ctx.config.model.eps,
      };
      const w = flatten(ctx.net, ctx.before);
      expect(mlpLoss(problem, w).margin).toBeGreaterThan(0.05);
      const H = explicitHessian((u) => mlpLoss(problem, u).loss, w);
      const before = tf.memory().numTensors;
      for (let t = 0; t < 4; t++) {
        const vFlat = Array.from({ length: w.length }, (_, i) => Math.sin(7.3 * i + 2.1 * t + 0.4));
        const v = unflatten(ctx.net, vFlat);
        const hv = hessianVectorProduct(gradientAt(ctx), ctx.before, v);
        // Measured: <= 1e-4 (float32 round-off and truncation, see hessianVectorProduct.ts).
        expect(relErr(flatten(ctx.net, hv), matVec(H, vFlat))).toBeLessThan(1e-2);
        disposeMap(v);
        disposeMap(hv);
      }
      expect(tf.memory().numTensors).toBe(before);
      disposeContext(ctx);
    });
  }
});

describe('hessianVectorProduct on a quadratic', () => {
  // L(w) = 1/2 w^T A w + b^T w over two parameters a [3] and m [2, 2] (w = [a; vec(m)]), so
  // grad L = A w + b and H = A exactly: the central difference has no truncation error.
  const n = 7;
  const A = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => Math.cos(i + j) + Math.cos(3 * (i - j)) + (i === j ? 2 : 0)),
  );
  const b = Array.from({ length: n }, (_, i) => Math.sin(i));
  const split = (flat: ArrayLike<number>): ParamMap => ({
    a: tf.tensor1d(Array.from(flat).slice(0, 3)),
    m: tf.tensor2d(Array.from(flat).slice(3), [2, 2]),
  });
  const join = (p: ParamMap): number[] => [
    ...(p.a as tf.Tensor).dataSync(),
    ...(p.m as tf.Tensor).dataSync(),
  ];
  const gradAt = (p: ParamMap): ParamMap =>
    tf.tidy(() => {
      const w = tf.concat([p.a as tf.Tensor1D, tf.reshape(p.m as tf.Tensor, [4])]);
      const g = tf.add(tf.squeeze(tf.matMul(tf.tensor2d(A), tf.reshape(w, [n, 1]))), tf.tensor1d(b));
      return { a: tf.slice(g, [0], [3]), m: tf.reshape(tf.slice(g, [3], [4]), [2, 2]) };
    });
  const wFlat = [0.3, -1.2, 2.5, 0.7, -0.4, 1.9, -3.1];

  it('gives A v for directions of any scale', () => {
    const w = split(wFlat);
    const before = tf.memory().numTensors;
    for (const scale of [1e-3, 1, 50]) {
      const vFlat = Array.from({ length: n }, (_, i) => scale * Math.cos(5 * i + 1));
      const v = split(vFlat);
      const hv = hessianVectorProduct(gradAt, w, v);
      expect(relErr(join(hv), matVec(A, vFlat))).toBeLessThan(1e-3);
      disposeMap(v);
      disposeMap(hv);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeMap(w);
  });

  it('gives exactly zero for v = 0', () => {
    const w = split(wFlat);
    const v = split(new Array<number>(n).fill(0));
    const hv = hessianVectorProduct(gradAt, w, v);
    expect(join(hv)).toEqual(new Array<number>(n).fill(0));
    [w, v, hv].forEach(disposeMap);
  });

  it('names a parameter the direction lacks', () => {
    const w = split(wFlat);
    const v = { a: tf.zeros([3]) };
    const before = tf.memory().numTensors;
    expect(() => hessianVectorProduct(gradAt, w, v)).toThrow(/direction has no m/);
    expect(tf.memory().numTensors).toBe(before);
    [w, v].forEach(disposeMap);
  });
});

describe('gradientAt', () => {
  it('is lossAndGradients on the probe minibatch and leaves only the gradients behind', () => {
    const ctx = mlpContext('batch', 5);
    const net: Network = ctx.net;
    const before = tf.memory().numTensors;
    const g = gradientAt(ctx)(ctx.before);
    expect(tf.memory().numTensors).toBe(before + net.params.length);
    const r = lossAndGradients(net, ctx.before, ctx.x, ctx.loss, ctx.forward);
    for (const p of net.params) {
      expect(Array.from((g[p.name] as tf.Tensor).dataSync())).toEqual(
        Array.from((r.grads[p.name] as tf.Tensor).dataSync()),
      );
    }
    [r.loss, r.output].forEach((t) => t.dispose());
    disposeStats(r.batchStats);
    disposeMap(r.grads);
    disposeMap(g);
    expect(tf.memory().numTensors).toBe(before);
    disposeContext(ctx);
  });
});
