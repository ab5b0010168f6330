import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '../../../../../src/main/engine/tf/registerGradients';
import { afterAll, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { expectSameOnWasmAsCpu, normal, runOn } from './compareWithCpu';

type Pair = number | [number, number];

interface PoolCase {
  x: [number, number, number, number];
  filter: Pair;
  strides: Pair;
  pad: 'same' | 'valid' | number;
  rounding?: 'floor' | 'round' | 'ceil';
}

/** What x holds: distinct values, many ties, one value, or normal values with NaN / -Infinity spread in. */
type Fill = 'normal' | 'ties' | 'constant' | 'nan' | '-inf' | 'nan and -inf';

function input(shape: number[], fill: Fill, seed: number): tf.Tensor4D {
  const z = normal(shape, seed);
  const u = tf.randomUniform(shape, 0, 1, 'float32', seed + 100);
  const x = ((): tf.Tensor => {
    switch (fill) {
      case 'normal':
        return z;
      case 'ties':
        // Rounded to halves, with a ReLU's zeros: windows tie often, at 0 and elsewhere.
        return tf.relu(tf.div(tf.round(tf.mul(z, 2)), 2));
      case 'constant':
        return tf.fill(shape, 0.5);
      case 'nan':
        return tf.where(tf.less(u, 0.3), tf.fill(shape, NaN), z);
      case '-inf':
        return tf.where(tf.less(u, 0.6), tf.fill(shape, -Infinity), z);
      case 'nan and -inf':
        return tf.where(
          tf.less(u, 0.35),
          tf.fill(shape, NaN),
          tf.where(tf.less(u, 0.75), tf.fill(shape, -Infinity), z),
        );
    }
  })();
  return x as tf.Tensor4D;
}

/**
 * MaxPoolGrad as maxPool's gradient calls it, with the backend's own forward pool as `output` unless
 * `output` gives its values.
 */
function poolGrad(c: PoolCase, fill: Fill, seed = 1, output?: Float32Array): () => tf.Tensor[] {
  return () => {
    const x = input(c.x, fill, seed);
    const pooled = tf.maxPool(x, c.filter, c.strides, c.pad, c.rounding);
    const y = output === undefined ? pooled : tf.tensor(output, pooled.shape);
    const dy = normal(y.shape, seed + 1);
    const attrs = { filterSize: c.filter, strides: c.strides, pad: c.pad, dimRoundingMode: c.rounding };
    // runKernel's declared attrs type is a map of attribute values; MaxPoolGradAttrs is one.
    const dx = tf
      .engine()
      .runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, attrs as unknown as tf.NamedAttrMap);
    return [dx as tf.Tensor];
  };
}

/** Entry by entry the same value (NaN equal to NaN, +0 and -0 distinct) on wasm as on cpu. */
async function expectExactlyAsCpu(program: () => tf.Tensor[]): Promise<void> {
  const expected = await runOn('cpu', program);
  const actual = await runOn('wasm', program);
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, k) => {
    const a = actual[k] as Float32Array;
    expect(a.length).toBe(e.length);
    const differing: string[] = [];
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(a[i], e[i])) differing.push(`[${i}] ${a[i]} vs ${e[i]}`);
    }
    expect(differing.slice(0, 8), `output ${k}: ${differing.length} of ${e.length} differ`).toEqual([]);
  });
}

function label(c: PoolCase): string {
  const pair = (p: Pair): string => (Array.isArray(p) ? p.join('x') : `${p}`);
  return `x ${c.x.join('x')}, filter ${pair(c.filter)}, strides ${pair(c.strides)}, pad ${c.pad}${c.rounding ? ` ${c.rounding}` : ''}`;
}

const POOLS: Omit<PoolCase, 'x'>[] = [
  { filter: 2, strides: 2, pad: 'valid' },
  { filter: 2, strides: 2, pad: 'same' },
  { filter: 3, strides: 2, pad: 'same' },
  { filter: 3, strides: 1, pad: 'same' },
  { filter: [2, 3], strides: [2, 1], pad: 'valid' },
  { filter: 3, strides: 2, pad: 1 },
  { filter: 2, strides: 3, pad: 'valid' },
];

/** Odd and even spatial sizes (even ones let the 2x2 stride-2 windows tile x exactly). */
const SHAPES: [number, number, number][] = [
  [7, 5, 1],
  [5, 6, 3],
  [8, 8, 5],
  [9, 7, 7],
  [6, 5, 64],
];

afterAll(() => {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

describe('MaxPoolGrad on wasm gives the cpu backend values exactly', () => {
  for (const [h, w, c] of SHAPES) {
    for (const pool of POOLS) {
      const pc: PoolCase = { x: [2, h, w, c], ...pool };
      it(`${label(pc)}: distinct values and ties`, async () => {
        await expectExactlyAsCpu(() => [...poolGrad(pc, 'normal')(), ...poolGrad(pc, 'ties', 5)()]);
      });
    }
  }

  it('numeric pads with each rounding of the output size', async () => {
    for (const rounding of ['floor', 'round', 'ceil'] as const) {
      // Rounded up, the last row of windows holds one row of x, and tfjs-backend-wasm's forward MaxPool
      // never writes that row of y (XNNPACK sizes its output from the pads): the gradient does not
      // trust y then, whether y is wasm's own or the cpu's.
      const pc: PoolCase = { x: [2, 8, 7, 5], filter: 3, strides: 2, pad: 1, rounding };
      const [y] = await runOn('cpu', () => [
        tf.maxPool(input(pc.x, 'normal', 1), pc.filter, pc.strides, pc.pad, rounding),
      ]);
      await expectExactlyAsCpu(poolGrad(pc, 'normal', 1));
      await expectExactlyAsCpu(poolGrad(pc, 'normal', 1, y));
      // And with 2x2 windows (the direct path).
      await expectExactlyAsCpu(
        poolGrad({ x: [2, 7, 7, 3], filter: 2, strides: 2, pad: 1, rounding }, 'ties', 3),
      );
    }
  });

  it('windows that overlap 9 deep (3x3 stride 1) sum in the cpu backend order and precision', async () => {
    // Every window of a constant input picks its first element inside x: the first row and column
    // collect the gradients of the windows that start in the padding (4 at the corner, 2 elsewhere).
    await expectExactlyAsCpu(poolGrad({ x: [1, 6, 6, 3], filter: 3, strides: 1, pad: 'same' }, 'constant'));
    // Ties at 0 with large and small gradients: float32 and double sums differ.
    await expectExactlyAsCpu(() => {
      const x = tf.relu(normal([1, 7, 7, 5], 3)) as tf.Tensor4D;
      const y = tf.maxPool(x, 3, 1, 'same');
      const dy = tf.mul(normal(y.shape, 4), tf.pow(10, tf.round(tf.mul(normal(y.shape, 5), 3))));
      return [
        tf
          .engine()
          .runKernel(
            tf.MaxPoolGrad,
            { dy, input: x, output: y },
            { filterSize: 3, strides: 1, pad: 'same' },
          ) as tf.Tensor,
      ];
    });
  });

  for (const fill of ['constant', 'nan', '-inf', 'nan and -inf'] as const) {
    it(`${fill === 'constant' ? 'all-equal windows' : `x with ${fill}`}: the first maximum by >, as the cpu backend chooses it`, async () => {
      for (const pc of [
        { x: [2, 6, 6, 7], filter: 2, strides: 2, pad: 'valid' },
        { x: [2, 7, 5, 5], filter: 2, strides: 2, pad: 'same' },
        { x: [2, 7, 7, 3], filter: 3, strides: 2, pad: 'same' },
        { x: [2, 5, 6, 9], filter: 3, strides: 1, pad: 'same' },
        { x: [1, 6, 5, 4], filter: [2, 3], strides: [2, 1], pad: 'valid' },
      ] as PoolCase[]) {
        await expectExactlyAsCpu(poolGrad(pc, fill, 7));
      }
    });
  }

  it('a window of only -Infinity and NaN sends its gradient nowhere; ties at the max go to the first', async () => {
    const [g] = await runOn('wasm', () => {
      const x = tf.tensor4d(
        [NaN, 1, 2, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 3, 3, NaN, NaN],
        [1, 2, 6, 1],
      );
      const y = tf.maxPool(x, 2, 2, 'valid');
      return [
        tf
          .engine()
          .runKernel(
            tf.MaxPoolGrad,
            { dy: tf.tensor4d([5, 6, 7], [1, 1, 3, 1]), input: x, output: y },
            { filterSize: 2, strides: 2, pad: 'valid' },
          ) as tf.Tensor,
      ];
    });
    // Windows: [NaN, 1 | -inf, -inf] -> 1; [2, -inf | 3, 3] -> the first 3; [-inf, -inf | NaN, NaN] -> none.
    expect(Array.from(g as Float32Array)).toEqual([0, 5, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0]);
  });

  it('a -0 gradient arrives as +0 (the cpu backend sums from 0), NaN and infinite gradients as themselves', async () => {
    await expectExactlyAsCpu(() => {
      const x = normal([1, 4, 6, 5], 2) as tf.Tensor4D;
      const dy = tf.tensor4d(
        Array.from({ length: 2 * 3 * 5 }, (_, i) => [-0, NaN, Infinity, -Infinity, 1.5][i % 5] as number),
        [1, 2, 3, 5],
      );
      const y = tf.maxPool(x, 2, 2, 'valid');
      return [
        tf
          .engine()
          .runKernel(
            tf.MaxPoolGrad,
            { dy, input: x, output: y },
            { filterSize: 2, strides: 2, pad: 'valid' },
          ) as tf.Tensor,
      ];
    });
  });

  it('through tf.grad of maxPool (the training path), after a ReLU', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = tf.relu(normal([3, 7, 5, 4], 1)) as tf.Tensor4D;
      const r = normal(tf.maxPool(x, 2, 2, 'same').shape, 2);
      return [tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xv as tf.Tensor4D, 2, 2, 'same'), r)))(x)];
    }, 0);
  });

  it('refuses a dy of the wrong shape', async () => {
    await runOn('wasm', () => {
      const x = normal([1, 4, 4, 2], 1) as tf.Tensor4D;
      const y = tf.maxPool(x, 2, 2, 'valid');
      expect(() =>
        tf
          .engine()
          .runKernel(
            tf.MaxPoolGrad,
            { dy: tf.zeros([1, 3, 2, 2]), input: x, output: y },
            { filterSize: 2, strides: 2, pad: 'valid' },
          ),
      ).toThrow(/dy has shape \[1, 3, 2, 2\], the pool's output \[1, 2, 2, 2\]/);
      return [];
    });
  });
});

/** The programs of the thread test: fewer images than threads (channels split), odd channels, overlap, NaN. */
const THREAD_CASES: [PoolCase, Fill][] = [
  [{ x: [5, 8, 8, 64], filter: 2, strides: 2, pad: 'valid' }, 'ties'],
  [{ x: [1, 9, 9, 37], filter: 2, strides: 2, pad: 'same' }, 'normal'],
  [{ x: [3, 9, 8, 13], filter: 3, strides: 1, pad: 'same' }, 'ties'],
  [{ x: [1, 7, 7, 64], filter: 3, strides: 2, pad: 'same' }, 'nan and -inf'],
  [{ x: [2, 7, 6, 5], filter: [2, 3], strides: [2, 1], pad: 'valid' }, 'nan'],
];

async function onThreads(threads: number): Promise<Uint32Array[]> {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
  await setupWasmBackend(threads);
  const outs = tf.tidy(() => THREAD_CASES.flatMap(([pc, fill]) => poolGrad(pc, fill, 11)()));
  const bits = outs.map((t) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
  tf.dispose(outs);
  return bits;
}

describe('MaxPoolGrad on multi-threaded wasm', () => {
  it('gives the same bits on 1, 2 and 4 threads', async () => {
    const one = await onThreads(1);
    for (const threads of [2, 4]) {
      const many = await onThreads(threads);
      many.forEach((a, k) => {
        const b = one[k] as Uint32Array;
        let differing = 0;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
        expect(differing, `case ${k} on ${threads} threads`).toBe(0);
      });
    }
  });

  it('leaves no tensor and no backend buffer behind', async () => {
    for (const threads of [1, 2]) {
      if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
      await setupWasmBackend(threads);
      const backend = tf.backend() as BackendWasm;
      const x = normal([2, 7, 7, 5], 1) as tf.Tensor4D;
      // Overlapping windows (with scratch) and the direct path.
      const pools = [
        [3, 1],
        [2, 2],
      ] as const;
      const ys = pools.map(([f, s]) => tf.maxPool(x, f, s, 'same'));
      const dys = ys.map((y, k) => normal(y.shape, k + 2));
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      pools.forEach(([filterSize, strides], k) => {
        const inputs = { dy: dys[k] as tf.Tensor, input: x, output: ys[k] as tf.Tensor };
        tf.dispose(
          tf.engine().runKernel(tf.MaxPoolGrad, inputs, { filterSize, strides, pad: 'same' }) as tf.Tensor,
        );
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
      tf.dispose([x, ...ys, ...dys]);
    }
  });
});
