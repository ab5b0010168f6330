/**
 * Frozen ReLU masks and max-pool choices (network.ts ForwardOptions.gates) and the Hessian-vector
 * products they make exact on piecewise-linear networks.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema } from '../../../../src/shared/config';
import { softmaxCrossEntropy } from '../../../../src/main/engine/losses/crossEntropy';
import { lossAndGradients } from '../../../../src/main/engine/models/lossAndGradients';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { disposeStats } from '../../../../src/main/engine/models/runningStats';
import { initParams } from '../../../../src/main/engine/models/params';
import type { Gates, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import {
  disposeGates,
  gradientAt,
  hessianVectorProduct,
  recordGates,
} from '../../../../src/main/engine/probes/hessianVectorProduct';
import type { ProbeContext } from '../../../../src/main/engine/probes/probe';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function vggTinyContext(): ProbeContext {
  const config = experimentSchema.parse({
    seed: 3,
    model: { network: 'vgg-tiny', widthMultiplier: 0.25, normalization: 'none' },
    data: { dataset: 'cifar10' },
    optimizer: { lr: 0.1 },
    schedule: { steps: 1 },
  });
  const net = buildNetwork(config.model, { inputShape: [32, 32, 3], outputSize: 10 });
  const before = initParams(net, 3);
  // Larger weights than Glorot's, so the gradient is not tiny and many units sit near their kinks.
  for (const [k, t] of Object.entries(before)) before[k] = tf.tidy(() => tf.mul(t, 2));
  const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 5);
  const y = tf.tensor1d([1, 4, 7, 9], 'int32');
  return {
    net,
    config,
    step: 1,
    before,
    after: before,
    grads: before,
    x,
    y,
    loss: (o) => softmaxCrossEntropy(o, y),
    forward: { training: true },
    lossValue: 1,
    lr: 0.1,
  };
}

const direction = (ctx: ProbeContext, seed: number): ParamMap => {
  const v: ParamMap = {};
  ctx.net.params.forEach((p, k) => (v[p.name] = tf.randomNormal(p.shape, 0, 1, 'float32', seed * 100 + k)));
  return v;
};
const flat = (m: ParamMap, ctx: ProbeContext): Float32Array =>
  Float32Array.from(ctx.net.params.flatMap((p) => Array.from((m[p.name] as tf.Tensor).dataSync())));
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));
const relDiff = (a: Float32Array, b: Float32Array): number =>
  norm(a.map((x, i) => x - (b[i] as number))) / Math.max(norm(b), 1e-30);

describe('gates', () => {
  it('replayed at the same weights, give the forward pass and the gradient of the network as is', () => {
    const ctx = vggTinyContext();
    const gates: Gates = { relu: new Map(), pool: new Map() };
    const plain = lossAndGradients(ctx.net, ctx.before, ctx.x, ctx.loss, {
      training: true,
      gates: { record: gates },
    });
    expect([...gates.relu.keys()]).toEqual([1, 2, 3]);
    expect([...gates.pool.keys()]).toEqual([1, 2, 3]);
    expect(gates.pool.get(1)?.shape).toEqual([4, 16, 16, 4, 4]);
    // Exactly one chosen position per window.
    expect(
      Array.from(tf.tidy(() => tf.sum(gates.pool.get(2) as tf.Tensor, 4)).dataSync()).every((v) => v === 1),
    ).toBe(true);
    const frozen = lossAndGradients(ctx.net, ctx.before, ctx.x, ctx.loss, {
      training: true,
      gates: { replay: gates },
    });
    expect(frozen.loss.dataSync()[0]).toBe(plain.loss.dataSync()[0]);
    expect(relDiff(flat(frozen.grads, ctx), flat(plain.grads, ctx))).toBeLessThan(1e-6);
    for (const r of [plain, frozen]) {
      r.loss.dispose();
      r.output.dispose();
      disposeStats(r.batchStats);
      Object.values(r.grads).forEach((t) => t.dispose());
    }
    disposeGates(gates);
  });
});

describe('hessianVectorProduct with frozen gates on a ReLU + max-pool network', () => {
  it('is linear and symmetric, and does not depend on the finite-difference step', () => {
    const ctx = vggTinyContext();
    const start = tf.memory().numTensors;
    const gates = recordGates(ctx);
    const gradAt = gradientAt(ctx, gates);
    const [u, v] = [direction(ctx, 1), direction(ctx, 2)];
    const uv: ParamMap = {};
    for (const k of Object.keys(u))
      uv[k] = tf.tidy(() => tf.add(u[k] as tf.Tensor, tf.mul(v[k] as tf.Tensor, 3)));
    const hv = (d: ParamMap, rel = 1e-3): Float32Array => {
      const r = hessianVectorProduct(gradAt, ctx.before, d, rel);
      const f = flat(r, ctx);
      Object.values(r).forEach((t) => t.dispose());
      return f;
    };
    const [Hu, Hv, Huv] = [hv(u), hv(v), hv(uv)];
    // Linear: H(u + 3v) = Hu + 3 Hv.
    expect(
      relDiff(
        Huv,
        Hu.map((x, i) => x + 3 * (Hv[i] as number)),
      ),
    ).toBeLessThan(1e-2);
    // Symmetric: u^T H v = v^T H u.
    const [uf, vf] = [flat(u, ctx), flat(v, ctx)];
    expect(Math.abs(dot(uf, Hv) - dot(vf, Hu))).toBeLessThan(1e-2 * Math.abs(dot(uf, Hv)));
    // The same product at steps 10x apart: no switch crossed, so only round-off differs.
    expect(relDiff(hv(u, 1e-4), hv(u, 1e-3))).toBeLessThan(2e-2);
    // Without frozen gates, the same comparison is off by the jumps of the switches crossed.
    const loose = gradientAt(ctx);
    const a = hessianVectorProduct(loose, ctx.before, u, 1e-4);
    const b = hessianVectorProduct(loose, ctx.before, u, 1e-2);
    expect(relDiff(flat(a, ctx), flat(b, ctx))).toBeGreaterThan(5e-2);
    tf.dispose([
      ...Object.values(a),
      ...Object.values(b),
      ...Object.values(u),
      ...Object.values(v),
      ...Object.values(uv),
    ]);
    disposeGates(gates);
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([ctx.x, ctx.y, ...Object.values(ctx.before)]);
  }, 60_000);
});
