import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema } from '../../../../src/shared/config';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import type { ParamMap } from '../../../../src/main/engine/models/networkTypes';
import {
  evaluateSlice,
  filterNormalizedDirection,
  linspace,
} from '../../../../src/main/engine/probes/lossSlices';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Frobenius norm of every filter (last-axis slice) of a tensor, in float64 from its values. */
function filterNorms(t: tf.Tensor): number[] {
  const filters = t.shape[t.rank - 1] as number;
  const values = t.dataSync();
  const sums = new Array<number>(filters).fill(0);
  values.forEach((v, k) => (sums[k % filters] = (sums[k % filters] as number) + v * v));
  return sums.map(Math.sqrt);
}

function disposeMap(m: ParamMap): void {
  Object.values(m).forEach((t) => t.dispose());
}

describe('filterNormalizedDirection', () => {
  it('gives every conv and linear filter the norm of the weight filter, and biases, gamma, beta zero', () => {
    const net = buildNetwork(
      modelSchema.parse({ network: 'vgg-tiny', widthMultiplier: 0.25, normalization: 'batch' }),
      {
        inputShape: [32, 32, 3],
        outputSize: 10,
      },
    );
    const params = initParams(net, 1);
    const before = tf.memory().numTensors;
    const d = filterNormalizedDirection(net, params, 7);
    expect(tf.memory().numTensors).toBe(before + net.params.length);
    expect(net.params.some((p) => p.shape.length === 4)).toBe(true);
    for (const spec of net.params) {
      const dir = d[spec.name] as tf.Tensor;
      const w = params[spec.name] as tf.Tensor;
      expect(dir.shape).toEqual(w.shape);
      if (spec.role === 'weight') {
        const got = filterNorms(dir);
        const want = filterNorms(w);
        got.forEach((g, j) =>
          expect(Math.abs(g - (want[j] as number))).toBeLessThan(1e-5 * (want[j] as number)),
        );
        // A random direction, not the weights rescaled: filter by filter |cos(d_j, w_j)| is small.
        const filters = w.shape[w.rank - 1] as number;
        const dv = dir.dataSync();
        const wv = w.dataSync();
        const dots = new Array<number>(filters).fill(0);
        dv.forEach((v, k) => (dots[k % filters] = (dots[k % filters] as number) + v * (wv[k] as number)));
        const cosines = dots.map((s, j) => Math.abs(s) / ((got[j] as number) * (want[j] as number)));
        expect(Math.max(...cosines)).toBeLessThan(0.9);
      } else {
        expect(['bias', 'gamma', 'beta']).toContain(spec.role);
        expect(Array.from(dir.dataSync()).every((v) => v === 0)).toBe(true);
      }
    }
    const again = filterNormalizedDirection(net, params, 7);
    const other = filterNormalizedDirection(net, params, 8);
    for (const spec of net.params) {
      expect(Array.from((again[spec.name] as tf.Tensor).dataSync())).toEqual(
        Array.from((d[spec.name] as tf.Tensor).dataSync()),
      );
    }
    expect(Array.from((other['layer1.weight'] as tf.Tensor).dataSync())).not.toEqual(
      Array.from((d['layer1.weight'] as tf.Tensor).dataSync()),
    );
    [d, again, other, params].forEach(disposeMap);
  });

  it('gives a zero weight filter a zero (finite) direction', () => {
    const net = buildNetwork(modelSchema.parse({ network: 'mlp', hidden: [3] }), {
      inputShape: [2],
      outputSize: 2,
    });
    const params = initParams(net, 1);
    params['layer1.weight']?.dispose();
    params['layer1.weight'] = tf.tensor2d([1, 0, 2, -3, 0, 4], [2, 3]);
    const d = filterNormalizedDirection(net, params, 3);
    expect(filterNorms(d['layer1.weight'] as tf.Tensor)).toEqual([
      expect.closeTo(Math.hypot(1, 3), 5),
      0,
      expect.closeTo(Math.hypot(2, 4), 5),
    ]);
    [d, params].forEach(disposeMap);
  });
});

describe('evaluateSlice', () => {
  // L(p) = sum_n sum c_n p_n^2 over two parameters: the slice has the closed form
  // f(alpha, beta) = sum c_n (w + alpha d1 + beta d2)^2, computed here in float64.
  const c = { a: 0.7, b: -1.3 };
  const w = { a: [0.5, -1, 2], b: [1, 0.25, -0.5, 3] };
  const d1v = { a: [1, 0, -1], b: [0.5, 0.5, 0, 1] };
  const d2v = { a: [0, 2, 1], b: [-1, 0, 1, 0.5] };
  const map = (m: { a: number[]; b: number[] }): ParamMap => ({
    a: tf.tensor1d(m.a),
    b: tf.tensor2d(m.b, [2, 2]),
  });
  const closedForm = (alpha: number, beta: number): number =>
    (['a', 'b'] as const).reduce(
      (s, n) =>
        s +
        c[n] *
          w[n].reduce(
            (t, wi, k) => t + (wi + alpha * (d1v[n][k] as number) + beta * (d2v[n][k] as number)) ** 2,
            0,
          ),
      0,
    );
  let calls = 0;
  const lossAt = async (p: ParamMap): Promise<number> => {
    calls += 1;
    const l = tf.tidy(() =>
      tf.add(
        tf.mul(c.a, tf.sum(tf.square(p.a as tf.Tensor))),
        tf.mul(c.b, tf.sum(tf.square(p.b as tf.Tensor))),
      ),
    );
    const v = (await l.data())[0] as number;
    l.dispose();
    return v;
  };

  it('gives the closed form over a 1D and a 2D grid, in row-major order', async () => {
    const [params, d1, d2] = [map(w), map(d1v), map(d2v)];
    const before = tf.memory().numTensors;
    const line: [number, number, number][] = [];
    const alphas = linspace(-1, 1, 5);
    await evaluateSlice(lossAt, params, d1, undefined, { alphas }, (i, j, l) => void line.push([i, j, l]));
    expect(line.map(([i, j]) => [i, j])).toEqual(alphas.map((_, i) => [i, 0]));
    line.forEach(([i, , l]) => expect(l).toBeCloseTo(closedForm(alphas[i] as number, 0), 4));

    const grid = { alphas: linspace(-1, 1, 3), betas: linspace(-0.5, 0.5, 4) };
    const plane: [number, number, number][] = [];
    await evaluateSlice(lossAt, params, d1, d2, grid, (i, j, l) => void plane.push([i, j, l]));
    expect(plane.map(([i, j]) => [i, j])).toEqual(
      grid.alphas.flatMap((_, i) => grid.betas.map((_, j) => [i, j])),
    );
    plane.forEach(([i, j, l]) =>
      expect(l).toBeCloseTo(closedForm(grid.alphas[i] as number, grid.betas[j] as number), 4),
    );
    expect(tf.memory().numTensors).toBe(before);
    [params, d1, d2].forEach(disposeMap);
  });

  it('resumes an interrupted grid: only the missing points, in the same order, same values', async () => {
    const [params, d1, d2] = [map(w), map(d1v), map(d2v)];
    const grid = { alphas: linspace(-1, 1, 3), betas: linspace(-0.5, 0.5, 4) };
    const full: string[] = [];
    await evaluateSlice(lossAt, params, d1, d2, grid, (i, j, l) => void full.push(`${i},${j}:${l}`));
    const before = tf.memory().numTensors;

    const stored = new Map<string, number>();
    const store = async (i: number, j: number, l: number): Promise<void> => {
      await Promise.resolve();
      stored.set(`${i},${j}`, l);
      if (stored.size === 5) throw new Error('interrupted');
    };
    await expect(evaluateSlice(lossAt, params, d1, d2, grid, store)).rejects.toThrow('interrupted');
    expect(stored.size).toBe(5);

    calls = 0;
    const resumed: string[] = [];
    await evaluateSlice(
      lossAt,
      params,
      d1,
      d2,
      grid,
      (i, j, l) => {
        resumed.push(`${i},${j}:${l}`);
        stored.set(`${i},${j}`, l);
      },
      (i, j) => stored.has(`${i},${j}`),
    );
    expect(calls).toBe(12 - 5);
    expect(resumed).toEqual(full.slice(5));
    expect([...stored].map(([k, l]) => `${k}:${l}`)).toEqual(full);
    expect(tf.memory().numTensors).toBe(before);
    [params, d1, d2].forEach(disposeMap);
  });

  it('releases the moved weights when lossAt fails, and rejects a 2D grid without d2', async () => {
    const [params, d1] = [map(w), map(d1v)];
    const before = tf.memory().numTensors;
    const failing = (): Promise<number> => Promise.reject(new Error('no loss'));
    await expect(evaluateSlice(failing, params, d1, undefined, { alphas: [0, 1] }, () => {})).rejects.toThrow(
      'no loss',
    );
    await expect(
      evaluateSlice(lossAt, params, d1, undefined, { alphas: [0], betas: [0] }, () => {}),
    ).rejects.toThrow(/needs both grid.betas and d2/);
    expect(tf.memory().numTensors).toBe(before);
    [params, d1].forEach(disposeMap);
  });
});

describe('linspace', () => {
  it('spaces n values evenly with both ends exact', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(-1, 0.3, 7).at(-1)).toBe(0.3);
    expect(linspace(2, 3, 1)).toEqual([2]);
    expect(linspace(2, 3, 0)).toEqual([]);
  });
});
