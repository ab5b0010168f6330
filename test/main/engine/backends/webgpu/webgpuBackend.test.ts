import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core registers no gradient functions by itself; the conv2d gradients below need them.
import '../../../../../src/main/engine/tf/registerGradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, releaseBackends } from '../../../../../src/main/engine/backends';
import type { BackendInfo } from '../../../../../src/main/engine/backends';
import { randomStream } from '../../../../../src/main/engine/rng/seeds';

/** Seeded N(0,1)-ish values (sum of uniforms), so both backends see identical inputs. */
function values(n: number, seed: number, offset = 0): Float32Array {
  const u = randomStream(seed, 'backend-test');
  return Float32Array.from({ length: n }, () => u() + u() + u() - 1.5 + offset);
}

/** Runs `build` on `backend` and downloads every result (async: webgpu has no readSync in Node). */
async function on(backend: 'webgpu' | 'cpu', build: () => tf.Tensor[]): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const before = tf.memory().numTensors;
  const out = tf.tidy(build);
  const data = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
  return data;
}

/** webgpu agrees with the cpu reference to float32 accumulation error: |a − b| ≤ 1e-4 · max(1, max|b|). */
async function expectSameOnBoth(build: () => tf.Tensor[]): Promise<void> {
  const gpu = await on('webgpu', build);
  const cpu = await on('cpu', build);
  expect(gpu.length).toBe(cpu.length);
  for (const [k, ref] of cpu.entries()) {
    const got = gpu[k] as Float32Array;
    expect(got.length).toBe(ref.length);
    const scale = Math.max(1, ...ref.map(Math.abs));
    let worst = 0;
    for (let i = 0; i < ref.length; i++)
      worst = Math.max(worst, Math.abs((got[i] as number) - (ref[i] as number)));
    expect(worst).toBeLessThanOrEqual(1e-4 * scale);
  }
}

let info: BackendInfo;

beforeAll(async () => {
  info = await initBackend('webgpu');
  // Run even tiny CPU-resident inputs through WGSL shaders, so the comparisons test the GPU kernels.
  tf.env().set('WEBGPU_CPU_FORWARD', false);
});

afterAll(() => {
  releaseBackends();
});

describe("initBackend('webgpu')", () => {
  it('starts tfjs-backend-webgpu on a Dawn adapter and says whether it is a software device', () => {
    expect(info.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(info.device.length).toBeGreaterThan(0);
    // Without a GPU this machine reaches Mesa's llvmpipe through OpenGL: a software device.
    expect(info.software).toBe(/llvmpipe|lavapipe|softpipe|swiftshader/i.test(info.device));
    expect(['native', 'opengl-compat']).toContain(info.details.route);
  });

  it('reuses the open device when called again', async () => {
    await tf.setBackend('cpu');
    const again = await initBackend('webgpu');
    expect(again).toEqual(info);
    expect(tf.getBackend()).toBe('webgpu');
  });
});

describe('webgpu agrees with the cpu backend', () => {
  const x = values(2 * 9 * 9 * 5, 1);
  const w = values(3 * 3 * 5 * 7, 2);

  it('conv2d forward (same/stride 1 and valid/stride 2)', async () => {
    await expectSameOnBoth(() => {
      const xt = tf.tensor4d(x, [2, 9, 9, 5]);
      const wt = tf.tensor4d(w, [3, 3, 5, 7]);
      return [tf.conv2d(xt, wt, 1, 'same'), tf.conv2d(xt, wt, 2, 'valid')];
    });
  });

  it('conv2d gradients with respect to input and filter (tf.grads)', async () => {
    const r = values(2 * 9 * 9 * 7, 3);
    await expectSameOnBoth(() => {
      const rt = tf.tensor4d(r, [2, 9, 9, 7]);
      const loss = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        tf.sum(tf.mul(rt, tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')));
      return tf.grads(loss)([tf.tensor4d(x, [2, 9, 9, 5]), tf.tensor4d(w, [3, 3, 5, 7])]);
    });
  });

  it('matMul with every transpose combination, plain and batched', async () => {
    const a = values(5 * 7, 4);
    const b = values(6 * 7, 5);
    const ba = values(3 * 4 * 5, 6);
    const bb = values(3 * 6 * 5, 7);
    await expectSameOnBoth(() => {
      const a57 = tf.tensor2d(a, [5, 7]);
      const b67 = tf.tensor2d(b, [6, 7]);
      const b76 = tf.transpose(b67);
      const a75 = tf.transpose(a57);
      return [
        tf.matMul(a57, b67, false, true),
        tf.matMul(a75, b76, true, false),
        tf.matMul(a75, b67, true, true),
        tf.matMul(a57, b76),
        tf.matMul(tf.tensor3d(ba, [3, 4, 5]), tf.tensor3d(bb, [3, 6, 5]), false, true),
      ];
    });
  });

  it('batch-norm statistics: per-channel mean and variance over N, H, W', async () => {
    const h = values(8 * 6 * 6 * 16, 8, 3);
    await expectSameOnBoth(() => {
      const { mean, variance } = tf.moments(tf.tensor4d(h, [8, 6, 6, 16]), [0, 1, 2]);
      return [mean, variance];
    });
  });
});

describe('releaseBackends', () => {
  it('removes the webgpu backend and the navigator.gpu reference that would keep the process alive', async () => {
    await tf.setBackend('cpu');
    releaseBackends();
    expect(tf.findBackend('webgpu')).toBeNull();
    expect((globalThis.navigator as { gpu?: unknown } | undefined)?.gpu).toBeUndefined();
  });
});
