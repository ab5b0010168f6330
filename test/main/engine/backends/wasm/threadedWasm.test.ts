import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import '../../../../../src/main/engine/tf/registerGradients';
import { describeWasm, setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { createThreadedWasmBackend } from '../../../../../src/main/engine/backends/wasm/threadedWasm';
import { wasmThreadedError } from '../../../../../src/main/engine/backends/wasm/setupWasmBackend';
import { normal } from './compareWithCpu';

/** A training-shaped program big enough for XNNPACK to split across threads: conv, its two gradients, a dense layer. */
function program(): tf.Tensor[] {
  const x = normal([16, 16, 16, 32], 1) as tf.Tensor4D;
  const w = normal([3, 3, 32, 64], 2) as tf.Tensor4D;
  const v = normal([8 * 8 * 64, 10], 3) as tf.Tensor2D;
  const loss = (xv: tf.Tensor, wv: tf.Tensor, vv: tf.Tensor): tf.Scalar => {
    const h = tf.relu(tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, 1, 'same'));
    const p = tf.maxPool(h, 2, 2, 'valid');
    return tf.sum(tf.square(tf.matMul(tf.reshape(p, [16, 8 * 8 * 64]), vv as tf.Tensor2D)));
  };
  return tf.grads(loss)([x, w, v]);
}

async function runWithThreads(threads: number): Promise<{ out: Float32Array[]; count: number | undefined }> {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
  await setupWasmBackend(threads);
  const outs = tf.tidy(program);
  const out = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return { out, count: (await describeWasm()).threadsCount };
}

afterAll(() => {
  // Leave the default (environment-chosen) wasm backend for any later file in this worker.
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

describe('multi-threaded wasm', () => {
  it('runs with the thread count asked for, whatever the host reports', async () => {
    const { count } = await runWithThreads(3);
    expect(count).toBe(3);
    expect(wasmThreadedError()).toBeUndefined();
  });

  it('gives the same gradients on 1, 2 and 4 threads, bit for bit', async () => {
    const one = await runWithThreads(1);
    expect(one.count).toBe(1);
    for (const threads of [2, 4]) {
      const many = await runWithThreads(threads);
      expect(many.count).toBe(threads);
      many.out.forEach((a, k) => {
        const b = one.out[k] as Float32Array;
        let differing = 0;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
        expect(differing, `gradient ${k} on ${threads} threads`).toBe(0);
      });
    }
  });

  it('falls back to one thread, and says why, when the threaded build cannot start', async () => {
    const saved = process.env.TMPDIR;
    // The pthread worker script cannot be written there.
    process.env.TMPDIR = '/nonexistent/normlab-test';
    try {
      const { out, count } = await runWithThreads(2);
      expect(count).toBe(1);
      expect(out.length).toBe(3);
      expect(wasmThreadedError()).toMatch(/ENOENT/);
      expect((await describeWasm()).threadsError).toMatch(/ENOENT/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    await runWithThreads(2);
    expect(wasmThreadedError()).toBeUndefined();
  });

  it('refuses thread counts the build cannot run', async () => {
    await expect(createThreadedWasmBackend(1)).rejects.toThrow(/2 to 8 threads/);
    await expect(createThreadedWasmBackend(9)).rejects.toThrow(/2 to 8 threads/);
  });
});
