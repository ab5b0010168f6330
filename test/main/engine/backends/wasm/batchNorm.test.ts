import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { setBatchNormBlockRows } from '../../../../../src/main/engine/backends/wasm/batchNorm';
import {
  BATCH_NORM_BACKWARD,
  BATCH_NORM_FORWARD,
  batchNormTrain,
} from '../../../../../src/main/engine/norms/batchNorm';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

const EPS = 1e-5;

/** z, mean, variance and the gradients w.r.t. y, gamma and beta of sum(z * r), for y of `shape`. */
function forwardBackward(shape: number[], mean = 0, std = 1): () => tf.Tensor[] {
  return () => {
    const c = shape[shape.length - 1] as number;
    const y = tf.add(tf.mul(normal(shape, 1), std), mean);
    const gamma = tf.add(tf.mul(normal([c], 2), 0.5), 1);
    const beta = normal([c], 3);
    const r = normal(shape, 4);
    const stats: tf.Tensor[] = [];
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      const out = batchNormTrain(a, g, b, EPS);
      stats.push(out.stats.mean, out.stats.scale);
      return out.out;
    };
    const { value, grads } = tf.valueAndGrads(f)([y, gamma, beta], r);
    return [value, ...stats, ...grads];
  };
}

afterEach(() => setBatchNormBlockRows(undefined));

afterAll(() => {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

describe('batch norm training kernels on wasm agree with cpu', () => {
  // Channel counts that take each path of the kernels: 16-channel strips, 4-channel vectors, single
  // channels, and mixes of them (23 = 16 + 4 + 3).
  for (const shape of [
    [4, 3, 5, 1],
    [2, 4, 4, 3],
    [3, 5, 2, 5],
    [2, 3, 3, 7],
    [4, 6, 6, 64],
    [2, 5, 7, 23],
    [37, 5],
    [6, 3],
    [128, 20],
  ]) {
    it(`y ${shape.join('x')}: z, mean, variance, dy, dgamma, dbeta`, async () => {
      await expectSameOnWasmAsCpu(forwardBackward(shape));
    });
  }

  // Blocks of 1 row, of 3 rows (the last block partial) and of more rows than there are.
  for (const rows of [1, 3, 10_000]) {
    it(`with reduction blocks of ${rows} rows`, async () => {
      setBatchNormBlockRows(() => rows);
      for (const shape of [
        [2, 3, 5, 23],
        [37, 5],
      ]) {
        await expectSameOnWasmAsCpu(forwardBackward(shape));
      }
    });
  }

  it('runs the fused kernels on wasm (and nothing per element besides)', async () => {
    await setupWasmBackend();
    const info = await tf.profile(() => tf.dispose(forwardBackward([2, 4, 4, 8])()));
    const names = info.kernelNames;
    expect(names).toContain(BATCH_NORM_FORWARD);
    expect(names).toContain(BATCH_NORM_BACKWARD);
    // The ops path's reductions and broadcasts are gone: one Sum is the loss's.
    expect(names.filter((n) => n === tf.Sum).length).toBeLessThanOrEqual(1);
    expect(names).not.toContain(tf.Rsqrt);
  });
});

/** Values of `t` as float64 numbers. */
function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('batch norm training kernels on wasm, numerically', () => {
  it('keep a large-mean channel (mean 1e4, std 1) as accurate as its float32 input allows', async () => {
    await setupWasmBackend();
    const [n, c] = [4096, 3];
    tf.tidy(() => {
      const y = tf.add(normal([n, c], 7), tf.tensor1d([1e4, -3e4, 5e3]));
      const r = normal([n, c], 8);
      const gamma = tf.tensor1d([1.5, 0.5, -2]);
      const beta = tf.tensor1d([0.25, 0, -1]);
      let mean: tf.Tensor | undefined;
      let variance: tf.Tensor | undefined;
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
        const out = batchNormTrain(a, g, b, EPS);
        mean = out.stats.mean;
        variance = out.stats.scale;
        return out.out;
      };
      const { value: z, grads } = tf.valueAndGrads(f)([y, gamma, beta], r);
      const [dy, dGamma, dBeta] = grads as [tf.Tensor, tf.Tensor, tf.Tensor];
      // The float64 reference on the same float32 inputs.
      const yv = values(y);
      const rv = values(r);
      const gv = values(gamma);
      const bv = values(beta);
      const [zv, dyv, dgv, dbv, mv, vv] = [z, dy, dGamma, dBeta, mean, variance].map((t) =>
        values(t as tf.Tensor),
      ) as [number[], number[], number[], number[], number[], number[]];
      for (let j = 0; j < c; j++) {
        const col = Array.from({ length: n }, (_, i) => yv[i * c + j] as number);
        const rc = Array.from({ length: n }, (_, i) => rv[i * c + j] as number);
        const mu = col.reduce((a, b) => a + b, 0) / n;
        const v = col.reduce((a, b) => a + (b - mu) ** 2, 0) / n;
        const s = 1 / Math.sqrt(v + EPS);
        const yHat = col.map((u) => (u - mu) * s);
        const dBetaRef = rc.reduce((a, b) => a + b, 0);
        const dGammaRef = rc.reduce((a, g, i) => a + g * (yHat[i] as number), 0);
        const g = gv[j] as number;
        // The mean is kept in float32: at 1e4 its spacing is 2^-10.
        const ulp = 2 ** (Math.floor(Math.log2(Math.abs(mu))) - 23);
        expect(Math.abs((mv[j] as number) - mu)).toBeLessThanOrEqual(ulp);
        expect(Math.abs((vv[j] as number) - v) / v).toBeLessThan(1e-5);
        expect(Math.abs((dbv[j] as number) - dBetaRef)).toBeLessThan(1e-4 * n ** 0.5);
        expect(Math.abs((dgv[j] as number) - dGammaRef)).toBeLessThan(2e-3 * n ** 0.5);
        for (let i = 0; i < n; i++) {
          // z uses the float32 mean: off by at most gamma s (its rounding) from the float64 z.
          const zRef = g * (yHat[i] as number) + (bv[j] as number);
          expect(Math.abs((zv[i * c + j] as number) - zRef)).toBeLessThan(Math.abs(g * s) * ulp + 1e-5);
          const dyRef = g * s * ((rc[i] as number) - dBetaRef / n - ((yHat[i] as number) * dGammaRef) / n);
          expect(Math.abs((dyv[i * c + j] as number) - dyRef)).toBeLessThan(1e-3);
        }
      }
    });
  });
});

/** The kernels' outputs (forward and backward) of a fixed program on `threads` threads. */
async function onThreads(threads: number, shape: number[]): Promise<Float32Array[]> {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
  await setupWasmBackend(threads);
  const outs = tf.tidy(forwardBackward(shape));
  const read = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return read;
}

describe('batch norm training kernels on wasm threads', () => {
  it('give the same bits on 1, 2, 3 and 4 threads', async () => {
    // Many blocks (and a partial last one) for the threads to share, and channels of every path.
    setBatchNormBlockRows(() => 17);
    for (const shape of [
      [8, 6, 7, 23],
      [300, 7],
    ]) {
      const one = await onThreads(1, shape);
      for (const threads of [2, 3, 4]) {
        const many = await onThreads(threads, shape);
        many.forEach((a, k) => {
          const b = one[k] as Float32Array;
          let differing = 0;
          for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
          expect(differing, `output ${k}, ${shape.join('x')} on ${threads} threads`).toBe(0);
        });
      }
    }
  });

  it('leave no tensors behind after a forward and backward pass', async () => {
    await setupWasmBackend(2);
    const program = forwardBackward([4, 5, 5, 12]);
    tf.dispose(tf.tidy(program));
    const before = tf.memory().numTensors;
    const outs = tf.tidy(program);
    expect(tf.memory().numTensors).toBe(before + outs.length);
    tf.dispose(outs);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('batch norm training kernels on wasm, with a NaN', () => {
  it('give NaN statistics and outputs in its channel only, as the ops do', async () => {
    await setupWasmBackend();
    tf.tidy(() => {
      const v = normal([6, 5], 1).dataSync().slice();
      v[2 * 5 + 3] = Number.NaN;
      const out = tf
        .engine()
        .runKernel(
          BATCH_NORM_FORWARD,
          { x: tf.tensor2d(v, [6, 5]), gamma: tf.ones([5]), beta: tf.zeros([5]) },
          { epsilon: EPS },
        ) as tf.Tensor[];
      const [z, mean, variance] = out.map((t) => Array.from(t.dataSync())) as [number[], number[], number[]];
      for (let c = 0; c < 5; c++) {
        expect(Number.isNaN(mean[c] as number), `mean ${c}`).toBe(c === 3);
        expect(Number.isNaN(variance[c] as number), `variance ${c}`).toBe(c === 3);
        for (let r = 0; r < 6; r++) expect(Number.isNaN(z[r * 5 + c] as number)).toBe(c === 3);
      }
    });
  });
});

describe('batch norm training kernels on wasm refuse', () => {
  it('per-channel inputs of the wrong shape', async () => {
    await setupWasmBackend();
    tf.tidy(() => {
      const x = normal([4, 3], 1);
      expect(() =>
        tf
          .engine()
          .runKernel(BATCH_NORM_FORWARD, { x, gamma: tf.ones([2]), beta: tf.zeros([3]) }, { epsilon: EPS }),
      ).toThrow(/gamma must be float32 of shape \[3\]/);
    });
  });
});
