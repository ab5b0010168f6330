import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema } from '../../../../src/shared/config';
import type { MetricPoint } from '../../../../src/shared/events';
import { softmaxCrossEntropy } from '../../../../src/main/engine/losses/crossEntropy';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import type { Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { defaultEtaMultipliers, measureLandscape } from '../../../../src/main/engine/probes/landscape';
import type { ProbeResult } from '../../../../src/main/engine/probes/probe';
import { contextTensors, makeProbeContext, type TestProbeContext } from './probeTestContext';
import { landscapeDataSchema } from '../../../../src/shared/probes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * L(w) = 1/2 w^T A w over w = (vec W_1, W_2) (a 2x2 and a 3-vector: the norms must run over all
 * parameters), realized as a fake Network whose output is w itself as a [1, 7] row.
 */
const N = 7;

function quadraticNet(): Network {
  return {
    config: modelSchema.parse({ network: 'mlp', hidden: [2] }),
    params: [
      { name: 'layer1.weight', shape: [2, 2], init: 'zeros', layer: 1, role: 'weight' },
      { name: 'layer2.weight', shape: [3], init: 'zeros', layer: 2, role: 'weight' },
    ],
    numLayers: 1,
    inputShape: [1],
    outputSize: N,
    layerWidths: [2],
    forward: (p) => ({
      output: tf.tidy(() =>
        tf.reshape(
          tf.concat([tf.reshape(p['layer1.weight'] as tf.Tensor, [-1]), p['layer2.weight'] as tf.Tensor1D]),
          [1, N],
        ),
      ) as tf.Tensor2D,
      batchStats: new Map(),
    }),
    layerOutputShape: (_layer, batch) => [batch, 2],
    flopsPerExample: () => 0,
  };
}

/** A deterministic pseudo-random number in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** A = B^T B + I: symmetric positive definite; entries exact in float32. */
function spd(n: number, seed: number): number[][] {
  const r = lcg(seed);
  const b = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.fround(r())));
  return b.map((_, i) =>
    b.map((_, j) =>
      Math.fround(b.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0) + (i === j ? 1 : 0)),
    ),
  );
}

const matVec = (a: number[][], v: number[]): number[] =>
  a.map((row) => row.reduce((s, x, j) => s + x * (v[j] as number), 0));
const dot = (u: number[], v: number[]): number => u.reduce((s, x, j) => s + x * (v[j] as number), 0);
const norm = (v: number[]): number => Math.sqrt(dot(v, v));

interface Quadratic {
  a: number[][];
  w0: number[];
  t: TestProbeContext;
  done(): void;
}

function quadratic(lr: number): Quadratic {
  const a = spd(N, 7);
  const r = lcg(11);
  const w0 = Array.from({ length: N }, () => Math.fround(r()));
  const aT = tf.tensor2d(a);
  const params: ParamMap = {
    'layer1.weight': tf.tensor2d(w0.slice(0, 4), [2, 2]),
    'layer2.weight': tf.tensor1d(w0.slice(4)),
  };
  const x = tf.zeros([1, 1]);
  const y = tf.zeros([1, N]);
  const t = makeProbeContext({
    net: quadraticNet(),
    params,
    x,
    y,
    loss: (out) => tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(out, tf.matMul(out, aT))))),
    lr,
  });
  return {
    a,
    w0,
    t,
    done: () => {
      t.dispose();
      tf.dispose([aT, x, y, ...Object.values(params)]);
    },
  };
}

const value = (r: ProbeResult, name: string): number | undefined =>
  r.points.find((p: MetricPoint) => p.series === `probe/landscape/${name}`)?.value;

function expectRel(actual: number | undefined, expected: number, tol: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe('defaultEtaMultipliers', () => {
  it('is the paper grid: DLN {1/100, 1/10, 1, 10, 30}, VGG (and the rest) {1/2, 1, 2, 4}', () => {
    expect(defaultEtaMultipliers('dln25')).toEqual([0.01, 0.1, 1, 10, 30]);
    for (const n of ['vgg16', 'vgg-mini', 'vgg-tiny', 'mlp'] as const) {
      expect(defaultEtaMultipliers(n)).toEqual([0.5, 1, 2, 4]);
    }
  });
});

describe('measureLandscape on L(w) = 1/2 w^T A w', () => {
  it('matches the closed forms: L(w - eta g), ||grad L(w - eta g) - g|| = eta ||A g||, beta = ||A g|| / ||g||', async () => {
    const lr = 0.05;
    const multipliers = [0.5, 1, 2, 4];
    const q = quadratic(lr);
    const tensors = contextTensors(q.t.ctx);
    const beforeValues = await Promise.all(Object.values(q.t.ctx.before).map((t) => t.data()));
    const count = tf.memory().numTensors;

    const r = await measureLandscape(q.t.ctx, multipliers);

    expect(tf.memory().numTensors).toBe(count);
    expect(tensors.every((t) => !t.isDisposed)).toBe(true);
    const beforeNow = await Promise.all(Object.values(q.t.ctx.before).map((t) => t.data()));
    expect(beforeNow).toEqual(beforeValues);

    // Closed forms in float64: g = A w0, L(w) = 1/2 w^T A w, grad L(w0 - eta g) - g = -eta A g.
    const g = matVec(q.a, q.w0);
    const ag = matVec(q.a, g);
    const etas = multipliers.map((m) => lr * m);
    const losses = etas.map((eta) => {
      const w = q.w0.map((wi, j) => wi - eta * (g[j] as number));
      return 0.5 * dot(w, matVec(q.a, w));
    });
    const changes = etas.map((eta) => eta * norm(ag));

    const data = landscapeDataSchema.parse(r.records[0]?.data);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]?.probe).toBe('landscape');
    expect(r.records[0]?.step).toBe(1);
    expect(data.multipliers).toEqual(multipliers);
    expect(data.etas).toEqual(etas);
    expect(data.lr).toBe(lr);
    expectRel(data.loss as number, 0.5 * dot(q.w0, g), 1e-5);
    expectRel(data.gradNorm as number, norm(g), 1e-5);
    (data.losses as number[]).forEach((l, k) => expectRel(l, losses[k] as number, 1e-4));
    (data.gradChanges as number[]).forEach((c, k) => expectRel(c, changes[k] as number, 1e-4));

    expectRel(value(r, 'loss_min'), Math.min(...losses), 1e-4);
    expectRel(value(r, 'loss_max'), Math.max(...losses), 1e-4);
    expectRel(value(r, 'grad_change_min'), Math.min(...changes), 1e-4);
    expectRel(value(r, 'grad_change_max'), Math.max(...changes), 1e-4);
    expectRel(value(r, 'beta_eff'), norm(ag) / norm(g), 1e-4);
    expect(r.points.map((p) => p.series).sort()).toEqual(
      ['beta_eff', 'grad_change_max', 'grad_change_min', 'loss_max', 'loss_min'].map(
        (s) => `probe/landscape/${s}`,
      ),
    );
    expect(r.points.every((p) => p.step === 1)).toBe(true);
    expect(r.passes).toEqual({ forward: 0, backward: 4 });
    q.done();
  });

  it('keeps a diverging eta in the record and bands the finite points only', async () => {
    const lr = 0.1;
    const q = quadratic(lr);
    // eta = 1e29: (w - eta g)^2 overflows float32, so L and the gradient change there are not finite.
    const r = await measureLandscape(q.t.ctx, [0.5, 1, 1e30]);
    const g = matVec(q.a, q.w0);
    const finite = [0.05, 0.1].map((eta) => {
      const w = q.w0.map((wi, j) => wi - eta * (g[j] as number));
      return 0.5 * dot(w, matVec(q.a, w));
    });
    const data = r.records[0]?.data as { losses: number[]; gradChanges: number[]; error?: string };
    expect(data.losses).toHaveLength(3);
    expect(Number.isFinite(data.losses[2])).toBe(false);
    expect(Number.isFinite(data.gradChanges[2])).toBe(false);
    expect(data.error).toBeUndefined();
    expectRel(value(r, 'loss_min'), Math.min(...finite), 1e-4);
    expectRel(value(r, 'loss_max'), Math.max(...finite), 1e-4);
    expectRel(value(r, 'grad_change_max'), 0.1 * norm(matVec(q.a, g)), 1e-4);
    expectRel(value(r, 'beta_eff'), norm(matVec(q.a, g)) / norm(g), 1e-4);
    expect(r.points.every((p) => Number.isFinite(p.value))).toBe(true);
    expect(r.passes.backward).toBe(3);

    const none = await measureLandscape(q.t.ctx, [1e30, 1e31]);
    expect(none.points).toEqual([]);
    expect(none.records[0]?.data.error).toBe('no finite loss on the eta grid');
    expect(landscapeDataSchema.parse(none.records[0]?.data).losses).toHaveLength(2);
    q.done();
  });

  it('uses the network default grid when given no multipliers', async () => {
    const q = quadratic(0.01);
    const r = await measureLandscape(q.t.ctx, []);
    expect(landscapeDataSchema.parse(r.records[0]?.data).multipliers).toEqual([0.5, 1, 2, 4]);
    expect(r.passes.backward).toBe(4);
    q.done();
  });
});

describe('measureLandscape on a batch-normalized mlp', () => {
  it('agrees with first order, L(w - eta g) ~ L(w) - eta ||g||^2, and leaks nothing', async () => {
    const net = buildNetwork(modelSchema.parse({ network: 'mlp', hidden: [6, 5], normalization: 'batch' }), {
      inputShape: [4],
      outputSize: 3,
    });
    const params = initParams(net, 3);
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 5);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    const t = makeProbeContext({ net, params, x, y, loss: softmaxCrossEntropy, lr: 1e-3, step: 7 });
    const count = tf.memory().numTensors;
    const r = await measureLandscape(t.ctx, [1, 2]);
    expect(tf.memory().numTensors).toBe(count);
    expect(contextTensors(t.ctx).every((u) => !u.isDisposed)).toBe(true);

    const data = r.records[0]?.data as { losses: number[]; gradChanges: number[]; gradNorm: number };
    const g2 = data.gradNorm ** 2;
    expect(g2).toBeGreaterThan(1e-2);
    [1e-3, 2e-3].forEach((eta, k) => {
      const decrease = t.ctx.lossValue - (data.losses[k] as number);
      expect(Math.abs(decrease - eta * g2)).toBeLessThan(0.05 * eta * g2);
    });
    // The gradient moves with eta: roughly linearly for small eta (||H g|| eta).
    const [c1, c2] = data.gradChanges as [number, number];
    expect(c1).toBeGreaterThan(0);
    expect(c2 / c1).toBeGreaterThan(1.8);
    expect(c2 / c1).toBeLessThan(2.2);
    expect(r.points.every((p) => p.step === 7)).toBe(true);
    t.dispose();
    tf.dispose([x, y, ...Object.values(params)]);
  });
});
