import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, releaseBackends } from '../../../../../src/main/engine/backends';
import {
  currentWebGpuBackend,
  philoxWordsOnWebGpu,
} from '../../../../../src/main/engine/backends/webgpu/philoxNoise';
import { sumSquaredError } from '../../../../../src/main/engine/losses/sumSquaredError';
import { lossAndGradients } from '../../../../../src/main/engine/models/lossAndGradients';
import { buildNetwork } from '../../../../../src/main/engine/models/network';
import { initParams } from '../../../../../src/main/engine/models/params';
import { disposeStats } from '../../../../../src/main/engine/models/runningStats';
import {
  drawAlgorithm1Noise,
  makeAlgorithm1Noise,
} from '../../../../../src/main/engine/norms/noisyBatchNorm';
import { fillWords, philox4x32, type PhiloxKey } from '../../../../../src/main/engine/rng/philox';
import {
  modelSchema,
  noisyBatchNormSchema,
  type NoisyBatchNormConfig,
} from '../../../../../src/shared/config';

const PAPER = noisyBatchNormSchema.parse({});

/** Runs `build` on `backend` and downloads the results (webgpu has no readSync in Node). */
async function on<T extends tf.Tensor[]>(backend: 'webgpu' | 'cpu', build: () => T): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const before = tf.memory().numTensors;
  const out = build();
  const data = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
  return data;
}

/** The words as unsigned integers (the kernel writes their int32 bit patterns). */
async function gpuWords(
  key: PhiloxKey,
  ctr: [number, number, number, number],
  count: number,
): Promise<number[]> {
  expect(await tf.setBackend('webgpu')).toBe(true);
  const backend = currentWebGpuBackend();
  if (!backend) throw new Error('webgpu is not the current backend');
  const t = philoxWordsOnWebGpu(backend, key, ctr, count);
  const words = Array.from(await t.data(), (w) => w >>> 0);
  t.dispose();
  return words;
}

/** Largest |gpu - cpu| / max(1, |cpu|) over two arrays of the same length. */
function worstRelative(gpu: Float32Array, cpu: Float32Array): number {
  expect(gpu.length).toBe(cpu.length);
  let worst = 0;
  for (let i = 0; i < cpu.length; i++) {
    const ref = cpu[i] as number;
    worst = Math.max(worst, Math.abs((gpu[i] as number) - ref) / Math.max(1, Math.abs(ref)));
  }
  return worst;
}

beforeAll(async () => {
  await initBackend('webgpu');
});

afterAll(() => {
  releaseBackends();
});

describe('Philox4x32-10 in WGSL', () => {
  it("matches Random123's known answers", async () => {
    expect(await gpuWords([0, 0], [0, 0, 0, 0], 4)).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    const ones = 0xffffffff;
    expect(await gpuWords([ones, ones], [ones, ones, ones, ones], 4)).toEqual([
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
    ]);
    expect(
      await gpuWords([0xa4093822, 0x299f31d0], [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], 4),
    ).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  it('gives the words of the JS generator bit for bit, counter wrap-around included', async () => {
    for (const key of [[0x01234567, 0x89abcdef] as const, [0xffffffff, 0] as const]) {
      const js = new Uint32Array(40_000);
      fillWords(js, key, 2);
      const gpu = await gpuWords(key, [0, 2, 0, 0], js.length);
      expect(gpu.length).toBe(js.length);
      expect(gpu.findIndex((w, n) => w !== js[n])).toBe(-1);
    }
    // Counter word 0 wraps from 0xffffffff to 0 after the first block.
    const wrapped = await gpuWords([5, 6], [0xffffffff, 1, 2, 3], 8);
    expect(wrapped).toEqual([
      ...philox4x32([0xffffffff, 1, 2, 3], [5, 6]),
      ...philox4x32([0, 1, 2, 3], [5, 6]),
    ]);
  });
});

describe("Algorithm 1's philox noise on the GPU", () => {
  it('equals the JS draw of the cpu backend to float32 precision (log, cos and sin in f32)', async () => {
    for (const [cfg, shape] of [
      [PAPER, [16, 8, 8, 24]],
      [{ ...PAPER, meanRange: 2, sigmaLow: 0.5, sigmaHigh: 3, meanJitter: 0.7, sigmaStd: 0.4 }, [300, 37]],
    ] as [NoisyBatchNormConfig, number[]][]) {
      const build = () => {
        const d = drawAlgorithm1Noise(cfg, 123, 3, shape);
        return [d.shift, d.scale, d.mu, d.sigma];
      };
      const gpu = await on('webgpu', build);
      const cpu = await on('cpu', build);
      const [shift, scale] = [0, 1].map((k) => worstRelative(gpu[k] as Float32Array, cpu[k] as Float32Array));
      expect(shift).toBeLessThan(1e-6);
      expect(scale).toBeLessThan(1e-5);
      // mu and sigma come from the host on both (only scale and shift are drawn on the GPU).
      expect(gpu[2]).toEqual(cpu[2]);
      expect(gpu[3]).toEqual(cpu[3]);
    }
  });

  it('is what makeAlgorithm1Noise gives under webgpu, and the alea generator still runs there', async () => {
    const gpuShape = [4, 6, 6, 8];
    const [viaSource, viaDraw] = [
      await on('webgpu', () => {
        const n = makeAlgorithm1Noise(PAPER, 9)(2, gpuShape);
        return [n.shift, n.scale];
      }),
      await on('webgpu', () => {
        const d = drawAlgorithm1Noise(PAPER, 9, 2, gpuShape);
        tf.dispose([d.mu, d.sigma]);
        return [d.shift, d.scale];
      }),
    ];
    expect(viaSource).toEqual(viaDraw);
    const alea = { ...PAPER, generator: 'alea' as const };
    const aleaGpu = await on('webgpu', () => {
      const n = makeAlgorithm1Noise(alea, 9)(2, gpuShape);
      return [n.shift, n.scale];
    });
    const aleaCpu = await on('cpu', () => {
      const n = makeAlgorithm1Noise(alea, 9)(2, gpuShape);
      return [n.shift, n.scale];
    });
    expect(aleaGpu).toEqual(aleaCpu);
  });

  it('trains: loss and gradients of a noisy-BN step with the GPU-drawn noise match the cpu backend', async () => {
    const cfg = modelSchema.parse({ network: 'mlp', hidden: [24, 24], normalization: 'noisy-batch' });
    const net = buildNetwork(cfg, { inputShape: [10], outputSize: 10 });
    const step = () => {
      const params = initParams(net, 4);
      const x = tf.tensor2d(
        Float32Array.from({ length: 32 * 10 }, (_, i) => Math.sin(i * 0.37)),
        [32, 10],
      );
      const target = tf.tensor2d(
        Float32Array.from({ length: 32 * 10 }, (_, i) => Math.cos(i * 0.11)),
        [32, 10],
      );
      const noise = makeAlgorithm1Noise(cfg.noisy, 77);
      const r = lossAndGradients(net, params, x, (o) => sumSquaredError(o, target), {
        training: true,
        noise,
      });
      disposeStats(r.batchStats);
      tf.dispose([x, target, r.output, ...Object.values(params)]);
      return [r.loss, ...Object.values(r.grads)];
    };
    const gpu = await on('webgpu', step);
    const cpu = await on('cpu', step);
    expect(gpu.length).toBe(cpu.length);
    cpu.forEach((ref, k) => {
      const scale = Math.max(1, ...ref.map(Math.abs));
      const got = gpu[k] as Float32Array;
      ref.forEach((v, i) => expect(Math.abs((got[i] as number) - v)).toBeLessThanOrEqual(1e-4 * scale));
    });
  });
});
