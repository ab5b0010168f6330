import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema } from '../../../../src/shared/config';
import { softmaxCrossEntropy } from '../../../../src/main/engine/losses/crossEntropy';
import { sumSquaredError } from '../../../../src/main/engine/losses/sumSquaredError';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import type { Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { measureInternalCovariateShift } from '../../../../src/main/engine/probes/internalCovariateShift';
import type { ProbeResult } from '../../../../src/main/engine/probes/probe';
import { contextTensors, makeProbeContext } from './probeTestContext';
import { icsDataSchema } from '../../../../src/shared/probes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Matrix = number[][];

const matMul = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) =>
    (b[0] as number[]).map((_, j) => row.reduce((s, x, k) => s + x * ((b[k] as number[])[j] as number), 0)),
  );
const transpose = (a: Matrix): Matrix => (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
const flat = (a: Matrix): number[] => a.flat();
const dot = (u: number[], v: number[]): number => u.reduce((s, x, j) => s + x * (v[j] as number), 0);
const norm = (v: number[]): number => Math.sqrt(dot(v, v));
const identity = (n: number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/**
 * The deep linear network in the row convention, out = X W_1 ... W_n, with L = ||out - Y||_F^2:
 * dL/dW_i = 2 (X W_1 ... W_{i-1})^T (out - Y) (W_{i+1} ... W_n)^T, in float64.
 */
function linearGradient(ws: Matrix[], x: Matrix, y: Matrix, i: number): number[] {
  let p = x;
  for (let k = 0; k < i - 1; k++) p = matMul(p, ws[k] as Matrix);
  let s = identity((ws[i - 1] as Matrix)[0]?.length as number);
  for (let k = i; k < ws.length; k++) s = matMul(s, ws[k] as Matrix);
  const out = matMul(matMul(p, ws[i - 1] as Matrix), s);
  const e = out.map((row, r) => row.map((v, c) => 2 * (v - ((y[r] as number[])[c] as number))));
  return flat(matMul(matMul(transpose(p), e), transpose(s)));
}

async function matrices(net: Network, params: ParamMap): Promise<Matrix[]> {
  const ws = net.params.filter((p) => p.role === 'weight').map((p) => params[p.name] as tf.Tensor2D);
  return Promise.all(ws.map((w) => w.array()));
}

const series = (r: ProbeResult, layer: number, what: 'l2' | 'cos'): number | undefined =>
  r.points.find((p) => p.series === `probe/ics/layer${layer}/${what}`)?.value;

describe('measureInternalCovariateShift on dln25 (no normalization) against the closed form', () => {
  it("||G_i - G_i'|| and cos(G_i, G_i') per layer, G_i' with layers < i at w_k", async () => {
    const net = buildNetwork(modelSchema.parse({ network: 'dln25' }), { inputShape: [10], outputSize: 10 });
    const params = initParams(net, 21);
    const x = tf.randomNormal([16, 10], 0, 1, 'float32', 22);
    const y = tf.randomNormal([16, 10], 0, 1, 'float32', 23);
    const t = makeProbeContext({ net, params, x, y, loss: sumSquaredError, lr: 2e-3, step: 4 });
    const tensors = contextTensors(t.ctx);
    const count = tf.memory().numTensors;
    const layers = [1, 2, 12, 24, 25];

    const r = await measureInternalCovariateShift(t.ctx, layers);

    expect(tf.memory().numTensors).toBe(count);
    expect(tensors.every((u) => !u.isDisposed)).toBe(true);
    // Layer 1 has no earlier layers: G'_1 = G_1 without a pass.
    expect(r.passes).toEqual({ forward: 0, backward: layers.length - 1 });

    const before = await matrices(net, t.ctx.before);
    const after = await matrices(net, t.ctx.after);
    const xs = (await x.array()) as Matrix;
    const ys = (await y.array()) as Matrix;
    const data = icsDataSchema.parse(r.records[0]?.data);
    expect(r.records[0]?.probe).toBe('ics');
    expect(r.records[0]?.step).toBe(4);
    expect(data.layers).toEqual(layers);
    layers.forEach((i, k) => {
      const g = linearGradient(before, xs, ys, i);
      const shifted = [...after.slice(0, i - 1), ...before.slice(i - 1)];
      const gPrime = linearGradient(shifted, xs, ys, i);
      const l2 = norm(g.map((v, j) => v - (gPrime[j] as number)));
      const cos = dot(g, gPrime) / (norm(g) * norm(gPrime));
      if (i === 1) {
        expect(series(r, i, 'l2')).toBe(0);
        expect(series(r, i, 'cos')).toBe(1);
      } else {
        // The shift must be well above float32 noise for the comparison to mean anything.
        expect(l2 / norm(g)).toBeGreaterThan(1e-2);
        expect(Math.abs((series(r, i, 'l2') as number) - l2)).toBeLessThan(2e-3 * l2);
        expect(Math.abs((series(r, i, 'cos') as number) - cos)).toBeLessThan(1e-4);
      }
      expect(Math.abs((data.gradNorm?.[k] as number) - norm(g))).toBeLessThan(1e-4 * norm(g));
      expect(Math.abs((data.shiftedGradNorm?.[k] as number) - norm(gPrime))).toBeLessThan(
        1e-4 * norm(gPrime),
      );
      expect(data.l2?.[k]).toBe(series(r, i, 'l2'));
      expect(data.cos?.[k]).toBe(series(r, i, 'cos'));
    });
    expect(r.points.every((p) => p.step === 4)).toBe(true);
    t.dispose();
    tf.dispose([x, y, ...Object.values(params)]);
  });
});

describe('measureInternalCovariateShift on a batch-normalized mlp', () => {
  const net = buildNetwork(modelSchema.parse({ network: 'mlp', hidden: [6, 5, 4], normalization: 'batch' }), {
    inputShape: [8],
    outputSize: 3,
  });

  /**
   * w_k = w_{k-1} except the named parameters, which move by N(0, 0.5^2) noise per entry (not a uniform
   * scale: batch norm makes layer 2 blind to scaling all of layer 1's gamma alike).
   */
  function withMoved(params: ParamMap, names: readonly string[]): ParamMap {
    const moved: ParamMap = {};
    net.params.forEach((p, k) => {
      const w = params[p.name] as tf.Tensor;
      moved[p.name] = names.includes(p.name)
        ? tf.tidy(() => tf.add(w, tf.randomNormal(p.shape, 0, 0.5, 'float32', 40 + k)))
        : w;
    });
    return moved;
  }

  async function probe(names: readonly string[], layers: readonly number[]): Promise<ProbeResult> {
    const params = initParams(net, 31);
    const x = tf.randomNormal([10, 8], 0, 1, 'float32', 32);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32');
    const after = withMoved(params, names);
    const t = makeProbeContext({ net, params, x, y, loss: softmaxCrossEntropy, lr: 0.1, after });
    const count = tf.memory().numTensors;
    const r = await measureInternalCovariateShift(t.ctx, layers);
    expect(tf.memory().numTensors).toBe(count);
    expect(contextTensors(t.ctx).every((u) => !u.isDisposed)).toBe(true);
    t.dispose();
    const own = new Set(Object.values(params));
    tf.dispose([x, y, ...Object.values(params), ...Object.values(after).filter((u) => !own.has(u))]);
    return r;
  }

  const relative = (r: ProbeResult, k: number): number => {
    const d = r.records[0]?.data as { l2: number[]; gradNorm: number[] };
    return (d.l2[k] as number) / (d.gradNorm[k] as number);
  };

  it("counts layer 1's gamma and beta as earlier parameters of layer 2", async () => {
    for (const name of ['layer1.gamma', 'layer1.beta']) {
      const r = await probe([name], [1, 2]);
      expect(series(r, 1, 'l2')).toBe(0);
      expect(relative(r, 1)).toBeGreaterThan(1e-2);
      expect(series(r, 2, 'cos')).toBeLessThan(1 - 1e-5);
    }
  });

  it('keeps layer i and everything after it at w_{k-1}', async () => {
    // Everything of layers 2..4 moves: G'_2 = G_2 (recomputed: equal up to float32), G'_3 and G'_4 change.
    const later = net.params.filter((p) => p.layer >= 2).map((p) => p.name);
    const r = await probe(later, [2, 3, 4]);
    expect(relative(r, 0)).toBeLessThan(1e-5);
    expect(series(r, 2, 'cos')).toBeCloseTo(1, 5);
    expect(relative(r, 1)).toBeGreaterThan(1e-2);
    expect(relative(r, 2)).toBeGreaterThan(1e-2);
    expect(r.passes.backward).toBe(3);
  });

  it('finds no shift when nothing moved, and NaN cos for a zero gradient', async () => {
    const r = await probe([], [1, 2, 3, 4]);
    [0, 1, 2, 3].forEach((k) => expect(relative(r, k)).toBeLessThan(1e-5));

    // A zero G_i leaves cos(G_i, G'_i) undefined: NaN, not a made-up value.
    const params = initParams(net, 31);
    const x = tf.randomNormal([10, 8], 0, 1, 'float32', 32);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32');
    const t = makeProbeContext({ net, params, x, y, loss: softmaxCrossEntropy, lr: 0.1 });
    const zero = tf.zerosLike(t.ctx.grads['layer2.weight'] as tf.Tensor);
    const grads = { ...t.ctx.grads, 'layer2.weight': zero };
    const z = await measureInternalCovariateShift({ ...t.ctx, grads }, [2]);
    expect(Number.isNaN(series(z, 2, 'cos'))).toBe(true);
    expect((z.records[0]?.data as { gradNorm: number[] }).gradNorm[0]).toBe(0);
    zero.dispose();
    t.dispose();
    tf.dispose([x, y, ...Object.values(params)]);
  });
});
