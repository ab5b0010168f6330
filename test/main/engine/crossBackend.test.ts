/**
 * The backends NormLab trains on agree with the tfjs reference backend `cpu` on a real training step:
 * vgg-tiny (with batch norm, and plain) on a fixed batch of 4 real CIFAR-10 images, L(w) and
 * grad_w L(w) for every parameter, on `cpu`, on `wasm` with NormLab's own training kernels
 * (Conv2DBackpropFilter/Input, BatchMatMul, MaxPoolGrad, Sum) and on `webgpu` (here Mesa's llvmpipe,
 * a software device reached through Dawn's OpenGL route).
 *
 * Agreement is float32 agreement, measured per tensor as the relative L2 error
 *
 *   e(g, g_ref) = ||g - g_ref||_2 / ||g_ref||_2 <= 1e-4,
 *
 * which summation reorderings pass (measured here: at most 1.9e-6 for wasm and 2.0e-6 for webgpu, with
 * max |g_ref| = 1.4) but a wrong kernel fails (a filter gradient with its spatial axes swapped, or any
 * gradient off by 0.1%, is rejected; see the negative controls). The one exception is a
 * gradient that is zero in exact arithmetic: a conv bias followed by batch norm (BN subtracts the
 * batch mean, so dL/db = 0). Its computed value is rounding noise on both sides, so it is compared
 * on the scale of the network's gradients instead: ||g - g_ref||_2 <= 1e-4 * max_k ||g_ref,k||_2.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelSchema, type NormalizationName } from '../../../src/shared/config';
import { initBackend, releaseBackends } from '../../../src/main/engine/backends';
import { setupWasmBackend, wasmTrainingKernelsRegistered } from '../../../src/main/engine/backends/wasm';
import { readCifar10 } from '../../../src/main/engine/data/cifar10Reader';
import { computeChannelStats, standardizeImages } from '../../../src/main/engine/data/standardization';
import { softmaxCrossEntropy } from '../../../src/main/engine/losses/crossEntropy';
import { lossAndGradients } from '../../../src/main/engine/models/lossAndGradients';
import { buildNetwork } from '../../../src/main/engine/models/network';
import { disposeStats } from '../../../src/main/engine/models/runningStats';
import { initParams } from '../../../src/main/engine/models/params';
import type { Network } from '../../../src/main/engine/models/networkTypes';

const CIFAR10_DIR = resolve(import.meta.dirname, '../../..', '../shared/data/cifar10');
const BATCH = 4;
const TOLERANCE = 1e-4;

type BackendUnderTest = 'cpu' | 'wasm' | 'webgpu';

interface Case {
  normalization: NormalizationName;
  widthMultiplier: number;
}

/**
 * vgg-tiny at width 1/2 (8, 16, 32 channels): the same layers and kernels as at full width, and the
 * cpu reference's Conv2DBackpropFilter (a scalar JS loop) costs about 2 s here against 5-9 s at full
 * width on this shared 2-core machine. (Full width passes too: relative errors up to 1.3e-6.)
 */
const CASES: readonly Case[] = [
  { normalization: 'batch', widthMultiplier: 0.5 },
  { normalization: 'none', widthMultiplier: 0.5 },
];

/** Host-side values, so that every backend starts from the same bits. */
interface Inputs {
  net: Network;
  params: Record<string, { shape: number[]; values: Float32Array }>;
  x: Float32Array;
  labels: Int32Array;
}

interface StepResult {
  loss: number;
  grads: Record<string, Float32Array>;
}

function makeInputs(c: Case, x: Float32Array, labels: Int32Array): Inputs {
  const model = { network: 'vgg-tiny', widthMultiplier: c.widthMultiplier, normalization: c.normalization };
  const net = buildNetwork(modelSchema.parse(model), {
    inputShape: [32, 32, 3],
    outputSize: 10,
  });
  const initial = initParams(net, 7);
  const params: Inputs['params'] = {};
  for (const spec of net.params) {
    const t = initial[spec.name] as tf.Tensor;
    params[spec.name] = { shape: spec.shape, values: t.dataSync() as Float32Array };
  }
  tf.dispose(Object.values(initial));
  return { net, params, x, labels };
}

/** L(w) and every dL/dw on `backend` (training mode: batch statistics), downloaded to the host. */
async function trainingStepOn(backend: BackendUnderTest, inputs: Inputs): Promise<StepResult> {
  expect(await tf.setBackend(backend)).toBe(true);
  const before = tf.memory().numTensors;
  const names = inputs.net.params.map((p) => p.name);
  const out = tf.tidy(() => {
    const params: Record<string, tf.Tensor> = {};
    for (const name of names) {
      const p = inputs.params[name] as { shape: number[]; values: Float32Array };
      params[name] = tf.tensor(p.values, p.shape, 'float32');
    }
    const x = tf.tensor4d(inputs.x, [BATCH, 32, 32, 3]);
    const labels = tf.tensor1d(inputs.labels, 'int32');
    const r = lossAndGradients(inputs.net, params, x, (o) => softmaxCrossEntropy(o, labels), {
      training: true,
    });
    r.output.dispose();
    disposeStats(r.batchStats);
    return [r.loss, ...names.map((n) => r.grads[n] as tf.Tensor)];
  });
  // Asynchronous reads: webgpu cannot read synchronously in Node.
  const data = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
  const grads: Record<string, Float32Array> = {};
  names.forEach((n, k) => (grads[n] = data[k + 1] as Float32Array));
  return { loss: (data[0] as Float32Array)[0] as number, grads };
}

interface Discrepancy {
  name: string;
  maxAbs: number;
  relL2: number;
  /** Zero in exact arithmetic: ||g_ref|| <= TOLERANCE * the largest gradient norm. */
  negligible: boolean;
  ok: boolean;
}

function l2(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

/**
 * Per-tensor comparison of `got` against the reference (see the file comment): relative L2 error within
 * TOLERANCE, or, for a gradient negligible next to the network's largest one (zero in exact
 * arithmetic), an absolute L2 error within TOLERANCE times that largest gradient norm.
 */
function compareGradients(got: StepResult, ref: StepResult): Discrepancy[] {
  const names = Object.keys(ref.grads);
  const scale = Math.max(...names.map((n) => l2(ref.grads[n] as Float32Array)));
  return names.map((name) => {
    const r = ref.grads[name] as Float32Array;
    const g = got.grads[name];
    const refNorm = l2(r);
    const negligible = refNorm <= TOLERANCE * scale;
    const fail = { name, maxAbs: Infinity, relL2: Infinity, negligible, ok: false };
    if (g === undefined || g.length !== r.length) return fail;
    let maxAbs = 0;
    let diff2 = 0;
    for (let i = 0; i < r.length; i++) {
      const d = (g[i] as number) - (r[i] as number);
      if (!Number.isFinite(d)) return fail;
      maxAbs = Math.max(maxAbs, Math.abs(d));
      diff2 += d * d;
    }
    const diff = Math.sqrt(diff2);
    const relL2 = refNorm > 0 ? diff / refNorm : diff === 0 ? 0 : Infinity;
    const ok = negligible ? diff <= TOLERANCE * scale : relL2 <= TOLERANCE;
    return { name, maxAbs, relL2, negligible, ok };
  });
}

function lossAgrees(got: number, ref: number): boolean {
  return Math.abs(got - ref) <= TOLERANCE * Math.max(1, Math.abs(ref));
}

/** The names of the tensors that fail the comparison: empty when `got` agrees with `ref`. */
function disagreements(got: StepResult, ref: StepResult): string[] {
  const bad = compareGradients(got, ref)
    .filter((d) => !d.ok)
    .map((d) => d.name);
  return lossAgrees(got.loss, ref.loss) ? bad : ['loss', ...bad];
}

function withGradient(r: StepResult, name: string, g: Float32Array): StepResult {
  return { loss: r.loss, grads: { ...r.grads, [name]: g } };
}

/** A [kh, kw, in, out] filter gradient with its spatial axes swapped: a kernel mixing up rows and columns. */
function swapFilterAxes(g: Float32Array, shape: readonly number[]): Float32Array {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const out = new Float32Array(g.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < cin * cout; c++)
        out[(j * kw + i) * cin * cout + c] = g[(i * kw + j) * cin * cout + c] as number;
  return out;
}

let x: Float32Array;
let labels: Int32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const data = readCifar10(CIFAR10_DIR, { trainLimit: BATCH, testLimit: 1 });
  // Standardized with the statistics of these 4 images: per-channel mean 0, std 1, as in training.
  x = standardizeImages(data.train.images, computeChannelStats(data.train.images));
  labels = Int32Array.from(data.train.labels);
});

afterAll(async () => {
  await tf.setBackend('cpu');
  releaseBackends();
});

describe.each(CASES)(
  'vgg-tiny, normalization $normalization, width $widthMultiplier, 4 CIFAR-10 images',
  (c) => {
    let inputs: Inputs;
    let ref: StepResult;
    let wasm: StepResult;

    beforeAll(async () => {
      await tf.setBackend('cpu');
      inputs = makeInputs(c, x, labels);
      ref = await trainingStepOn('cpu', inputs);
      await setupWasmBackend();
      wasm = await trainingStepOn('wasm', inputs);
    });

    it('the cpu reference is a real training signal', () => {
      // Ten classes at Glorot initialization: L near ln 10.
      expect(ref.loss).toBeGreaterThan(1);
      expect(ref.loss).toBeLessThan(5);
      expect(Object.keys(ref.grads)).toEqual(inputs.net.params.map((p) => p.name));
      // Only the conv biases in front of batch norm have (exactly) zero gradient, up to rounding.
      const negligible = compareGradients(ref, ref)
        .filter((d) => d.negligible)
        .map((d) => d.name);
      expect(negligible).toEqual(
        c.normalization === 'batch' ? ['layer1.bias', 'layer2.bias', 'layer3.bias'] : [],
      );
    });

    it("wasm, with NormLab's training kernels registered, agrees with cpu", () => {
      expect(tf.findBackend('wasm')).not.toBeNull();
      expect(wasmTrainingKernelsRegistered()).toBe(true);
      expect(disagreements(wasm, ref)).toEqual([]);
    });

    it('webgpu agrees with cpu', async () => {
      const info = await initBackend('webgpu');
      expect(info.name).toBe('webgpu');
      // Run even small host-resident inputs through the WGSL kernels rather than tfjs's CPU shortcut.
      const cpuForward = tf.env().getBool('WEBGPU_CPU_FORWARD');
      tf.env().set('WEBGPU_CPU_FORWARD', false);
      try {
        const got = await trainingStepOn('webgpu', inputs);
        expect(disagreements(got, ref)).toEqual([]);
      } finally {
        tf.env().set('WEBGPU_CPU_FORWARD', cpuForward);
      }
    });

    describe('negative controls: the comparison rejects a wrong kernel', () => {
      it('a conv filter gradient with its spatial axes swapped', () => {
        const spec = inputs.net.params.find((p) => p.name === 'layer2.weight');
        const g = wasm.grads['layer2.weight'] as Float32Array;
        expect(
          disagreements(withGradient(wasm, 'layer2.weight', swapFilterAxes(g, spec?.shape ?? [])), ref),
        ).toEqual(['layer2.weight']);
      });

      it('a gradient off by 0.1% (one kernel scaling by a wrong constant)', () => {
        const g = wasm.grads['layer4.weight'] as Float32Array;
        const scaled = g.map((v) => v * 1.001);
        expect(disagreements(withGradient(wasm, 'layer4.weight', scaled), ref)).toEqual(['layer4.weight']);
      });

      it('a loss off by 0.1%', () => {
        expect(disagreements({ ...wasm, loss: ref.loss * 1.001 }, ref)).toEqual(['loss']);
      });

      // Defined for the batch-norm network only: the plain one has no gradient that is zero.
      if (c.normalization !== 'batch') return;
      it('a wrong gradient where the true one is zero (a bias in front of batch norm)', () => {
        // The reference gradient norms, to make the wrong value 1% of the largest.
        const scale = Math.max(...Object.values(ref.grads).map(l2));
        const g = new Float32Array((ref.grads['layer1.bias'] as Float32Array).length);
        g[0] = 0.01 * scale;
        expect(disagreements(withGradient(wasm, 'layer1.bias', g), ref)).toEqual(['layer1.bias']);
      });
    });
  },
);
