import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { optimizerSchema } from '../../../../src/shared/config';
import { UserError } from '../../../../src/shared/errors';
import { createOptimizer } from '../../../../src/main/engine/optim/createOptimizer';

type OptimizerInput = z.input<typeof optimizerSchema>;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A tiny problem with hand-chosen gradients: w_0 = (1, -2), g_1 = (0.5, 1), g_2 = (-1, 2), lr 0.1.
const W0 = [1, -2];
const G = [
  [0.5, 1],
  [-1, 2],
];

function run(input: OptimizerInput, steps: number): number[][] {
  const opt = createOptimizer(optimizerSchema.parse(input));
  const w = tf.variable(tf.tensor1d(W0));
  const seen: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const g = tf.tensor1d(G[k] as number[]);
    opt.step({ w }, { w: g });
    g.dispose();
    seen.push(Array.from(w.dataSync()));
  }
  opt.dispose();
  w.dispose();
  return seen;
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, k) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[k]?.[i] as number, 6)));
}

describe('optimizers: two steps against the closed form', () => {
  it('sgd: w <- w - lr g', () => {
    // (1 - 0.05, -2 - 0.1), then (0.95 + 0.1, -2.1 - 0.2).
    expectClose(run({ name: 'sgd', lr: 0.1 }, 2), [
      [0.95, -2.1],
      [1.05, -2.3],
    ]);
  });

  it('momentum: v <- mu v + g, w <- w - lr v', () => {
    // v_1 = g_1, w_1 = (0.95, -2.1); v_2 = 0.9 (0.5, 1) + (-1, 2) = (-0.55, 2.9), w_2 = w_1 - 0.1 v_2.
    expectClose(run({ name: 'momentum', lr: 0.1, momentum: 0.9 }, 2), [
      [0.95, -2.1],
      [1.005, -2.39],
    ]);
  });

  it('nesterov: w <- w - lr (g + mu v)', () => {
    // w_1 = w_0 - 0.1 (g_1 + 0.9 g_1) = (0.905, -2.19); v_2 = (-0.55, 2.9);
    // w_2 = w_1 - 0.1 ((-1, 2) + 0.9 (-0.55, 2.9)) = (0.905 + 0.1495, -2.19 - 0.461).
    expectClose(run({ name: 'momentum', lr: 0.1, momentum: 0.9, nesterov: true }, 2), [
      [0.905, -2.19],
      [1.0545, -2.651],
    ]);
  });

  it('adam: bias-corrected moments', () => {
    // Step 1: m_hat = g_1, v_hat = g_1^2, so w_1 = w_0 - 0.1 sign(g_1) = (0.9, -2.1).
    // Step 2: m = 0.9 * 0.1 g_1 + 0.1 g_2 = (-0.055, 0.29); v = 0.999 * 0.001 g_1^2 + 0.001 g_2^2
    //   = (0.00124975, 0.004999); m_hat = m / 0.19, v_hat = v / 0.001999;
    //   w_2 = w_1 - 0.1 m_hat / sqrt(v_hat) = (0.9 + 0.0366104, -2.1 - 0.0965182).
    expectClose(run({ name: 'adam', lr: 0.1 }, 2), [
      [0.9, -2.1],
      [0.93661035, -2.1965182],
    ]);
  });
});

describe('optimizer state', () => {
  for (const input of [
    { name: 'sgd', lr: 0.1 },
    { name: 'momentum', lr: 0.1, momentum: 0.9 },
    { name: 'momentum', lr: 0.1, momentum: 0.9, nesterov: true },
    { name: 'adam', lr: 0.1 },
  ] as OptimizerInput[]) {
    it(`${input.name}${input.nesterov ? ' (nesterov)' : ''}: a restored optimizer continues exactly`, () => {
      const config = optimizerSchema.parse(input);
      const uninterrupted = run(input, 2);
      const first = createOptimizer(config);
      const w = tf.variable(tf.tensor1d(W0));
      const g1 = tf.tensor1d(G[0] as number[]);
      const g2 = tf.tensor1d(G[1] as number[]);
      first.step({ w }, { w: g1 });
      const state = first.getState();
      first.dispose();
      // Round-trip through plain arrays, as a checkpoint file would.
      const restored = state.map((s) => ({
        name: s.name,
        tensor: tf.tensor(s.tensor.dataSync(), s.tensor.shape, s.tensor.dtype),
      }));
      const second = createOptimizer(config);
      second.setState(restored);
      tf.dispose([...state.map((s) => s.tensor), ...restored.map((s) => s.tensor)]);
      const before = tf.memory().numTensors;
      second.step({ w }, { w: g2 });
      expect(tf.memory().numTensors).toBe(before);
      expect(Array.from(w.dataSync())).toEqual(uninterrupted[1]);
      second.dispose();
      tf.dispose([w, g1, g2]);
    });
  }

  it('names the state by parameter and slot', () => {
    const names = (name: 'sgd' | 'momentum' | 'adam'): string[] => {
      const opt = createOptimizer(optimizerSchema.parse({ name, lr: 0.1 }));
      const a = tf.variable(tf.tensor1d([1, 2]));
      const b = tf.variable(tf.tensor2d([[3]]));
      const g = { a: tf.ones([2]), b: tf.ones([1, 1]) };
      opt.step({ a, b }, g);
      const state = opt.getState();
      const result = state.map((s) => `${s.name}:${s.tensor.shape.join('x')}`);
      tf.dispose([a, b, g.a, g.b, ...state.map((s) => s.tensor)]);
      opt.dispose();
      return result;
    };
    expect(names('sgd')).toEqual([]);
    expect(names('momentum')).toEqual(['a/velocity:2', 'b/velocity:1x1']);
    expect(names('adam')).toEqual(['step:', 'a/m:2', 'a/v:2', 'b/m:1x1', 'b/v:1x1']);
  });

  it('rejects state of another optimizer or another network as a checkpoint error', () => {
    const momentum = createOptimizer(optimizerSchema.parse({ name: 'momentum', lr: 0.1 }));
    const foreign = [{ name: 'w/m', tensor: tf.zeros([2]) }];
    expect(() => momentum.setState(foreign)).toThrow(UserError);
    const sgd = createOptimizer(optimizerSchema.parse({ name: 'sgd', lr: 0.1 }));
    expect(() => sgd.setState(foreign)).toThrow(UserError);
    momentum.setState([{ name: 'w/velocity', tensor: tf.zeros([3]) }]);
    const w = tf.variable(tf.zeros([2]));
    const g = tf.ones([2]);
    try {
      momentum.step({ w }, { w: g });
      expect.unreachable('should throw');
    } catch (e) {
      expect((e as UserError).code).toBe('checkpoint');
    }
    tf.dispose([w, g, ...foreign.map((f) => f.tensor)]);
    momentum.dispose();
  });
});
