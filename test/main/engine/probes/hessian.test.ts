import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import type { ProbesConfig } from '../../../../src/shared/probes';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import type { Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { sumSquaredError } from '../../../../src/main/engine/losses/sumSquaredError';
import { measureHessian } from '../../../../src/main/engine/probes/hessian';
import type { ProbeContext, ProbeResult } from '../../../../src/main/engine/probes/probe';
import { explicitHessian, flatten, mlpLoss, symmetricEigenvalues } from './explicitHessian';
import { hessianDataSchema } from '../../../../src/shared/probes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function experiment(seed: number, normalization: 'none' | 'batch'): ExperimentConfig {
  return experimentSchema.parse({
    seed,
    model: { network: 'mlp', hidden: [3], normalization },
    data: { dataset: 'dln-synthetic', dim: 2 },
    optimizer: { lr: 0.1 },
    schedule: { steps: 1 },
  });
}

function settings(s: Partial<ProbesConfig['hessian']>): ProbesConfig['hessian'] {
  return { every: 1, maxIterations: 20, tolerance: 1e-3, traceSamples: 10, ...s };
}

function context(
  net: Network,
  config: ExperimentConfig,
  before: ParamMap,
  x: tf.Tensor,
  y: tf.Tensor,
  loss: (o: tf.Tensor2D) => tf.Scalar,
  step = 3,
): ProbeContext {
  return {
    net,
    config,
    step,
    before,
    after: before,
    grads: before,
    x,
    y,
    loss,
    forward: { training: true },
    lossValue: 1,
    lr: 0.1,
  };
}

const value = (r: ProbeResult, name: string): number | undefined =>
  r.points.find((p) => p.series === `probe/hessian/${name}`)?.value;

/**
 * A network that outputs its own parameters, out = [vec(layer1.weight), layer1.bias] (6 values), with
 * the loss L = 1/2 sum_i c_i out_i^2: H = diag(c) exactly.
 */
function diagonalQuadratic(c: number[], params: ParamMap): ProbeContext {
  const config = experiment(4, 'none');
  const net: Network = {
    config: config.model,
    params: [
      { name: 'layer1.weight', shape: [2, 2], init: 'zeros', layer: 1, role: 'weight' },
      { name: 'layer1.bias', shape: [2], init: 'zeros', layer: 1, role: 'bias' },
    ],
    numLayers: 0,
    inputShape: [1],
    outputSize: 6,
    layerWidths: [],
    forward: (p) => ({
      output: tf.tidy(() =>
        tf.concat(
          [
            tf.reshape(p['layer1.weight'] as tf.Tensor, [1, 4]),
            tf.reshape(p['layer1.bias'] as tf.Tensor, [1, 2]),
          ],
          1,
        ),
      ) as tf.Tensor2D,
      batchStats: new Map(),
    }),
    layerOutputShape: () => [1, 6],
    flopsPerExample: () => 0,
  };
  const x = tf.zeros([1, 1]);
  const loss = (o: tf.Tensor2D): tf.Scalar =>
    tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(tf.tensor1d(c), tf.square(o)))));
  return context(net, config, params, x, x, loss);
}

function quadraticParams(values: number[]): ParamMap {
  return {
    'layer1.weight': tf.tensor2d(values.slice(0, 4), [2, 2]),
    'layer1.bias': tf.tensor1d(values.slice(4)),
  };
}

describe('measureHessian on a diagonal quadratic, H = diag(c)', () => {
  const c = [-5, 3, 2, 1, 0.5, -0.25];
  const trace = c.reduce((a, b) => a + b, 0);

  it('finds the eigenvalue of largest magnitude (negative here) and the exact trace', async () => {
    const params = quadraticParams([0.3, -0.2, 1.1, 0.8, -0.5, 0.1]);
    const ctx = diagonalQuadratic(c, params);
    const before = tf.memory().numTensors;
    const r = await measureHessian(ctx, settings({ maxIterations: 100, tolerance: 1e-6, traceSamples: 5 }));
    expect(tf.memory().numTensors).toBe(before);
    // Rayleigh quotients converge like (3/5)^(2k); the rule stops when a step changes lambda by <= 5e-6.
    expect(value(r, 'top_eig')).toBeCloseTo(-5, 3);
    expect(value(r, 'top_eig_converged')).toBe(1);
    const iterations = value(r, 'top_eig_iterations') as number;
    expect(iterations).toBeGreaterThan(5);
    expect(iterations).toBeLessThan(100);
    // Every Rademacher z gives z^T diag(c) z = sum c_i: the estimator has no variance here.
    expect(value(r, 'trace')).toBeCloseTo(trace, 3);
    expect(value(r, 'trace_stderr')).toBeLessThan(1e-3);
    expect(r.passes).toEqual({ forward: 3, backward: 2 * (iterations + 5) });
    expect(r.points.every((p) => p.step === 3)).toBe(true);
    expect(r.records).toHaveLength(1);
    const record = r.records[0];
    expect(record?.probe).toBe('hessian');
    expect(record?.step).toBe(3);
    const data = record?.data as {
      eigenvalues: number[];
      traceSamples: number[];
      converged: boolean;
      error?: string;
    };
    expect(data.eigenvalues).toHaveLength(iterations);
    expect(data.eigenvalues.at(-1)).toBe(value(r, 'top_eig'));
    expect(data.converged).toBe(true);
    expect(data.traceSamples).toHaveLength(5);
    expect(data.error).toBeUndefined();
    Object.values(params).forEach((t) => t.dispose());
    ctx.x.dispose();
  });

  it('reports an unconverged power iteration, no trace when traceSamples = 0, no stderr for one sample', async () => {
    const params = quadraticParams([0.3, -0.2, 1.1, 0.8, -0.5, 0.1]);
    const ctx = diagonalQuadratic(c, params);
    const r = await measureHessian(ctx, settings({ maxIterations: 2, tolerance: 1e-9, traceSamples: 0 }));
    expect(value(r, 'top_eig_converged')).toBe(0);
    expect(value(r, 'top_eig_iterations')).toBe(2);
    expect(value(r, 'trace')).toBeUndefined();
    expect(r.passes.backward).toBe(4);
    const one = await measureHessian(ctx, settings({ maxIterations: 1, traceSamples: 1 }));
    expect(value(one, 'trace')).toBeCloseTo(trace, 3);
    expect(value(one, 'trace_stderr')).toBeUndefined();
    Object.values(params).forEach((t) => t.dispose());
    ctx.x.dispose();
  });

  it('records why instead of throwing when the gradient is not finite', async () => {
    const params = quadraticParams([0.3, NaN, 1.1, 0.8, -0.5, 0.1]);
    const ctx = diagonalQuadratic(c, params);
    const before = tf.memory().numTensors;
    const r = await measureHessian(ctx, settings({}));
    expect(tf.memory().numTensors).toBe(before);
    expect(r.points).toEqual([]);
    expect(String(r.records[0]?.data.error)).toMatch(/not finite/);
    expect(r.passes.backward).toBe(2);
    const nanLoss = await measureHessian({ ...ctx, lossValue: Infinity }, settings({}));
    expect(String(nanLoss.records[0]?.data.error)).toMatch(/loss is Infinity/);
    expect(nanLoss.passes.backward).toBe(0);
    Object.values(params).forEach((t) => t.dispose());
    ctx.x.dispose();
  });
});

describe('measureHessian on an mlp against the eigenvalues and trace of a float64 Hessian', () => {
  for (const [normalization, seed] of [
    ['none', 2],
    ['batch', 5],
  ] as const) {
    it(`mlp [2 -> 3 -> 2], normalization ${normalization}`, async () => {
      const config = experiment(seed, normalization);
      const net = buildNetwork(config.model, { inputShape: [2], outputSize: 2 });
      const params = initParams(net, seed);
      const x = tf.randomNormal([6, 2], 0, 1, 'float32', seed + 100);
      const y = tf.randomNormal([6, 2], 0, 1, 'float32', seed + 200);
      const ctx = context(net, config, params, x, y, (o) => sumSquaredError(o, y));
      const problem = {
        x: x.arraySync() as number[][],
        y: y.arraySync() as number[][],
        hidden: 3,
        batchNorm: normalization === 'batch',
        eps: config.model.eps,
      };
      const w = flatten(net, params);
      // No ReLU kink within the finite differences (see hessianVectorProduct.test.ts).
      expect(mlpLoss(problem, w).margin).toBeGreaterThan(0.05);
      const H = explicitHessian((u) => mlpLoss(problem, u).loss, w);
      const eig = symmetricEigenvalues(H);
      const top = [eig[0] as number, eig[eig.length - 1] as number].reduce((a, b) =>
        Math.abs(b) > Math.abs(a) ? b : a,
      );
      const second = [
        eig[1] as number,
        eig[eig.length - 2] as number,
        eig[0] as number,
        eig[eig.length - 1] as number,
      ]
        .filter((e) => e !== top)
        .reduce((a, b) => Math.max(Math.abs(a), Math.abs(b)), 0);
      // The power iteration's rate, (lambda_2 / lambda_1)^2 per step, leaves 60 steps far more than enough.
      expect(second / Math.abs(top)).toBeLessThan(0.8);
      const trace = H.reduce((s, row, i) => s + (row[i] as number), 0);

      const before = tf.memory().numTensors;
      const r = await measureHessian(ctx, settings({ maxIterations: 60, tolerance: 1e-5, traceSamples: 0 }));
      expect(Math.abs((value(r, 'top_eig') as number) - top)).toBeLessThan(1e-2 * Math.abs(top));

      // Hutchinson: Var(z^T H z) = 2 sum_{i != j} H_ij^2 for Rademacher z, so with S samples the mean is
      // within 4 sd = 4 sqrt(2 (||H||_F^2 - sum H_ii^2) / S) of tr(H) but for a 6e-5 chance (the draw is
      // seeded: a fixed outcome), and the reported standard error estimates that sd.
      const S = 300;
      const t = await measureHessian(ctx, settings({ maxIterations: 1, traceSamples: S }));
      let offDiagonal = 0;
      H.forEach((row, i) => row.forEach((h, j) => (offDiagonal += i === j ? 0 : h * h)));
      const sd = Math.sqrt((2 * offDiagonal) / S);
      expect(Math.abs((value(t, 'trace') as number) - trace)).toBeLessThan(4 * sd);
      const stderr = value(t, 'trace_stderr') as number;
      expect(stderr).toBeGreaterThan(0.7 * sd);
      expect(stderr).toBeLessThan(1.4 * sd);
      expect(t.passes.backward).toBe(2 * (1 + S));
      expect(tf.memory().numTensors).toBe(before);

      // Seeded by (seed, step): the same context repeats exactly, another step draws other vectors.
      const again = await measureHessian(ctx, settings({ maxIterations: 3, traceSamples: 3 }));
      const same = await measureHessian(ctx, settings({ maxIterations: 3, traceSamples: 3 }));
      const other = await measureHessian(
        { ...ctx, step: 4 },
        settings({ maxIterations: 3, traceSamples: 3 }),
      );
      expect(same.records[0]?.data).toEqual(again.records[0]?.data);
      expect(hessianDataSchema.parse(other.records[0]?.data).traceSamples).not.toEqual(
        hessianDataSchema.parse(again.records[0]?.data).traceSamples,
      );
      [x, y, ...Object.values(params)].forEach((u) => u.dispose());
    });
  }
});
