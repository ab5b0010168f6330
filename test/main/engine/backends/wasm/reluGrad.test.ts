import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '../../../../../src/main/engine/tf/registerGradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import {
  RELU_GRAD,
  reluGrad,
  reluGradConfig,
  reluGradGradConfig,
} from '../../../../../src/main/engine/backends/wasm/reluGrad';
import { expectSameOnWasmAsCpu, normal, runOn } from './compareWithCpu';

/**
 * RELU_GRAD and its gradient, as registerWasmTrainingKernels installs them (registered here too, should
 * this module's registration run before or without it).
 */
function registerReluGradKernel(): void {
  // getKernel/getGradient's declared types omit the undefined they return for a missing entry.
  if ((tf.getKernel(RELU_GRAD, 'wasm') as tf.KernelConfig | undefined) === undefined) {
    // The kernel's argument type is narrower than tfjs's KernelFunc, as every kernel's is.
    tf.registerKernel({
      kernelName: RELU_GRAD,
      backendName: 'wasm',
      kernelFunc: reluGrad as unknown as tf.KernelFunc,
    });
  }
  if ((tf.getGradient(RELU_GRAD) as tf.GradConfig | undefined) === undefined)
    tf.registerGradient(reluGradGradConfig);
}

/** dL/dx of L = sum(relu(x) * r). */
function reluGradient(x: tf.Tensor, r: tf.Tensor): tf.Tensor {
  return tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.relu(xv), r)))(x);
}

/** x and r of `size` entries with every special value in both: +-0, +-Infinity, NaN. */
function specials(size: number, seed: number): [tf.Tensor, tf.Tensor] {
  const mix = (t: tf.Tensor, s: number): tf.Tensor => {
    const u = tf.randomUniform([size], 0, 1, 'float32', s);
    const pick = (lo: number, hi: number, v: number, rest: tf.Tensor): tf.Tensor =>
      tf.where(tf.logicalAnd(tf.greaterEqual(u, lo), tf.less(u, hi)), tf.fill([size], v), rest);
    return pick(
      0,
      0.05,
      NaN,
      pick(0.05, 0.1, Infinity, pick(0.1, 0.15, -Infinity, pick(0.15, 0.2, 0, pick(0.2, 0.25, -0, t)))),
    );
  };
  return [mix(normal([size], seed), seed + 50), mix(normal([size], seed + 1), seed + 51)];
}

/** Entry by entry the same value (NaN equal to NaN, +0 and -0 distinct) on wasm as on cpu. */
async function expectExactlyAsCpu(program: () => tf.Tensor[]): Promise<void> {
  const expected = await runOn('cpu', program);
  const actual = await runOn('wasm', program);
  expected.forEach((e, k) => {
    const a = actual[k] as Float32Array;
    expect(a.length).toBe(e.length);
    const differing: string[] = [];
    for (let i = 0; i < e.length; i++)
      if (!Object.is(a[i], e[i])) differing.push(`[${i}] ${a[i]} vs ${e[i]}`);
    expect(differing.slice(0, 8), `output ${k}: ${differing.length} of ${e.length} differ`).toEqual([]);
  });
}

beforeAll(registerReluGradKernel);

afterAll(() => {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

describe('the ReLU gradient', () => {
  it('is installed and agrees between wasm and cpu', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = tf.concat([normal([40], 1), tf.zeros([3])]);
      return [reluGradient(x, normal([43], 2))];
    });
    expect(tf.getGradient(tf.Relu)).toBe(reluGradConfig);
  });

  it('is dy where x > 0, 0 where x <= 0 and NaN where x is NaN, as tfjs-core defines it', async () => {
    const [g] = await runOn('wasm', () => [
      reluGradient(tf.tensor1d([-2, 0, 3, NaN]), tf.tensor1d([5, 6, 7, 8])),
    ]);
    expect(Array.from(g as Float32Array)).toEqual([0, 0, 7, NaN]);
  });

  it('gives the cpu values exactly, +-0, infinities and NaN included, for every length mod 4', async () => {
    for (const size of [1, 2, 3, 5, 7, 64, 1003]) {
      await expectExactlyAsCpu(() => {
        const [x, r] = specials(size, size);
        return [reluGradient(x, r), reluGradient(tf.reshape(x, [1, size, 1]), tf.reshape(r, [1, size, 1]))];
      });
    }
  });

  it('runs as one RELU_GRAD kernel on wasm, and as Step and Multiply on cpu', async () => {
    const kernelsOn = async (backend: 'cpu' | 'wasm'): Promise<string[]> => {
      if (backend === 'wasm') await setupWasmBackend();
      else await tf.setBackend('cpu');
      const x = normal([2, 5, 5, 3], 1);
      const dy = normal([2, 5, 5, 3], 2);
      const fn = tf.getGradient(tf.Relu).gradFunc(dy, [x], {}).x;
      if (fn === undefined) throw new Error('no x gradient');
      const info = await tf.profile(() => fn());
      tf.dispose([x, dy, info.result as tf.Tensor]);
      return info.kernelNames;
    };
    expect(await kernelsOn('wasm')).toEqual([RELU_GRAD]);
    expect(await kernelsOn('cpu')).toEqual(['Step', 'Multiply']);
  });

  it('has a gradient itself: the gradient of a gradient agrees with cpu', async () => {
    await expectExactlyAsCpu(() => {
      const x = normal([3, 4, 5], 1);
      const r = normal([3, 4, 5], 2);
      const s = normal([3, 4, 5], 3);
      // With L = sum(relu(x) * v), dL/dx = RELU_GRAD(v, x) and d/dv sum(dL/dx * s) = step(x) * s.
      return [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(reluGradient(x, v), s)))(r)];
    });
  });

  it('handles an int32 x', async () => {
    await expectSameOnWasmAsCpu(() => [
      tf.grad((xv: tf.Tensor) => tf.sum(tf.relu(xv)))(tf.tensor1d([-1, 2, 0], 'int32')),
    ]);
  });

  it('refuses a dy of another shape than x', async () => {
    await setupWasmBackend();
    const [x, dy] = [tf.zeros([2, 3]), tf.zeros([3, 2])];
    expect(() => tf.engine().runKernel(RELU_GRAD, { dy, x })).toThrow(/dy has shape \[3, 2\], x \[2, 3\]/);
    tf.dispose([x, dy]);
  });
});

describe('the ReLU gradient on multi-threaded wasm', () => {
  async function onThreads(threads: number): Promise<Uint32Array[]> {
    if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
    await setupWasmBackend(threads);
    const outs = tf.tidy(() =>
      [1, 3, 6, 13, 4099, 65_537].map((size) => {
        const [x, r] = specials(size, size + 7);
        return reluGradient(x, r);
      }),
    );
    const bits = outs.map((t) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    tf.dispose(outs);
    return bits;
  }

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
      const x = normal([4, 9, 9, 5], 1);
      const r = normal([4, 9, 9, 5], 2);
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      tf.dispose(reluGradient(x, r));
      tf.dispose(tf.engine().runKernel(RELU_GRAD, { dy: r, x }) as tf.Tensor);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
      tf.dispose([x, r]);
    }
  });
});
