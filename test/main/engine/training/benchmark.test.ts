import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema, modelSchema } from '../../../../src/shared/config';
import { findPreset } from '../../../../src/shared/presets';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import type { BenchSpec } from '../../../../src/shared/bench';
import {
  benchModel,
  benchmarkProbeOverhead,
  benchmarkTraining,
} from '../../../../src/main/engine/training/benchmark';
import { setupWasmBackend } from '../../../../src/main/engine/backends/wasm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('benchmarkTraining', () => {
  // Batch 2, not the CLI's 128: the cpu backend's Conv2DBackpropFilter is a scalar JS loop (about
  // 1 s per image per vgg-tiny step on this machine). The figures' relations do not depend on it.
  const spec: BenchSpec = {
    network: 'vgg-tiny',
    normalization: 'batch',
    batchSize: 2,
    warmupSteps: 1,
    timedSteps: 1,
  };

  it('times training steps of a network and reports consistent figures, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await benchmarkTraining(spec);
    expect(tf.memory().numTensors).toBe(before);

    expect(r).toMatchObject(spec);
    expect(r.msPerStep).toBeGreaterThan(0);
    expect(Number.isFinite(r.msPerStep)).toBe(true);
    // images/s = 1000 B / (ms per step)
    expect(r.imagesPerSec).toBeCloseTo((1000 * spec.batchSize) / r.msPerStep, 9);
    // GFLOP/s = 3 x forward FLOPs per example x B / (ms per step) / 1e6 (forward + backward = 3 forward)
    const net = buildNetwork(modelSchema.parse({ network: 'vgg-tiny', normalization: 'batch' }), {
      inputShape: [32, 32, 3],
      outputSize: 10,
    });
    expect(r.gflops).toBeCloseTo((3 * net.flopsPerExample() * spec.batchSize) / r.msPerStep / 1e6, 9);
    expect(r.gflops).toBeGreaterThan(0);
  });

  it('counts the forward FLOPs of vgg-tiny as the PyTorch peer counts them (2 per multiply-add)', () => {
    const net = buildNetwork(modelSchema.parse({ network: 'vgg-tiny' }), {
      inputShape: [32, 32, 3],
      outputSize: 10,
    });
    // fwd_flops of torch_vgg_cpu.py for CFG [16, M, 32, M, 64, M] and Linear(64 * 4 * 4 -> 10).
    const conv = 32 * 32 * 3 * 16 * 9 + 16 * 16 * 16 * 32 * 9 + 8 * 8 * 32 * 64 * 9;
    expect(net.flopsPerExample()).toBe(2 * conv + 2 * 64 * 4 * 4 * 10);
  });
});

describe('benchmarkTraining of a preset', () => {
  const presetModel = (name: string) => {
    const preset = findPreset(name);
    if (!preset) throw new Error(`no preset ${name}`);
    return experimentSchema.parse(preset.config).model;
  };
  const cpuBn: BenchSpec = {
    preset: 'vgg16-bn-cpu',
    network: 'vgg16',
    normalization: 'batch',
    widthMultiplier: 0.25,
    // Batch 1 on the cpu backend: one step of VGG16 at width 1/4 takes about 2 s there.
    batchSize: 1,
    warmupSteps: 0,
    timedSteps: 1,
  };

  it("builds exactly the preset's model config", () => {
    const model = presetModel('vgg16-bn-cpu');
    expect(model).toMatchObject({ network: 'vgg16', widthMultiplier: 0.25, normalization: 'batch' });
    expect(benchModel(cpuBn)).toEqual(model);
    expect(benchModel({ ...cpuBn, preset: 'vgg16-plain-cpu', normalization: 'none' })).toEqual(
      presetModel('vgg16-plain-cpu'),
    );
  });

  it('builds a network at the width asked for without a preset, at width 1 when none is', () => {
    const base = {
      network: 'vgg16',
      normalization: 'none',
      batchSize: 1,
      warmupSteps: 0,
      timedSteps: 1,
    } as const;
    expect(benchModel({ ...base, widthMultiplier: 0.25 })).toMatchObject({ widthMultiplier: 0.25 });
    expect(benchModel(base)).toMatchObject({ widthMultiplier: 1 });
  });

  it('refuses a spec that does not say what the preset builds, and an unknown preset', () => {
    expect(() => benchModel({ ...cpuBn, normalization: 'none' })).toThrow(
      'the spec says vgg16 at width 0.25 with normalization none, but preset vgg16-bn-cpu is vgg16 at width 0.25 with batch',
    );
    expect(() => benchModel({ ...cpuBn, widthMultiplier: undefined })).toThrow(/at width 1 with/);
    expect(() => benchModel({ ...cpuBn, preset: 'vgg16-nope' })).toThrow('no preset vgg16-nope');
    expect(() =>
      benchModel({ ...cpuBn, preset: 'dln25-bn', network: 'dln25', widthMultiplier: undefined }),
    ).toThrow('dln25-bn is not a CIFAR-10 preset');
  });

  it("times steps of the preset's network, its FLOPs in the GFLOP/s, leaking no tensors", async () => {
    const before = tf.memory().numTensors;
    const r = await benchmarkTraining(cpuBn);
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject(cpuBn);
    expect(r.imagesPerSec).toBeCloseTo(1000 / r.msPerStep, 9);
    const quarter = buildNetwork(presetModel('vgg16-bn-cpu'), { inputShape: [32, 32, 3], outputSize: 10 });
    const full = buildNetwork(modelSchema.parse({ network: 'vgg16', normalization: 'batch' }), {
      inputShape: [32, 32, 3],
      outputSize: 10,
    });
    // Width 1/4 has about 1/16 of the full width's conv FLOPs: the figure tells the two apart.
    expect(quarter.flopsPerExample()).toBeLessThan(full.flopsPerExample() / 10);
    expect(r.gflops).toBeCloseTo((3 * quarter.flopsPerExample()) / r.msPerStep / 1e6, 9);
  }, 60_000);
});

describe('benchmarkProbeOverhead', () => {
  it('measures each probe of a preset at its cadence against the step time, on wasm, leaking nothing', async () => {
    await setupWasmBackend();
    try {
      const before = tf.memory().numTensors;
      const r = await benchmarkProbeOverhead({
        preset: 'vgg16-bn-cpu',
        batchSize: 4,
        warmupSteps: 1,
        timedSteps: 1,
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(r).toMatchObject({ network: 'vgg16', normalization: 'batch', preset: 'vgg16-bn-cpu' });
      expect(r.stepMs).toBeGreaterThan(0);
      const byName = new Map(r.probes.map((p) => [p.probe, p]));
      // The preset's default set: landscape, ICS of layers 5 and 10, activations, BN terms every 100;
      // the norms with the train metrics (every 20 at CPU scale).
      expect([...byName.keys()].sort()).toEqual(['activations', 'bnGradients', 'ics', 'landscape', 'norms']);
      expect(byName.get('landscape')).toMatchObject({ every: 100, forwardPasses: 0, backwardPasses: 4 });
      expect(byName.get('ics')).toMatchObject({ every: 100, backwardPasses: 2 });
      expect(byName.get('activations')).toMatchObject({ every: 100, forwardPasses: 1, backwardPasses: 0 });
      expect(byName.get('bnGradients')).toMatchObject({ every: 100, backwardPasses: 1 });
      expect(byName.get('norms')).toMatchObject({ every: 20, forwardPasses: 0, backwardPasses: 0 });
      for (const p of r.probes) {
        expect(p.ms).toBeGreaterThan(0);
        expect(p.overhead).toBeCloseTo(p.ms / (p.every * r.stepMs), 12);
      }
      expect(r.overhead).toBeCloseTo(
        r.probes.reduce((s, p) => s + p.overhead, 0),
        12,
      );
    } finally {
      await tf.setBackend('cpu');
    }
  }, 120_000);
});
