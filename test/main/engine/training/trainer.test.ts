import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig, type ExperimentInput } from '../../../../src/shared/config';
import type { MetricPoint, RunEvent } from '../../../../src/shared/events';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { train, type Control, type TrainResult } from '../../../../src/main/engine/training/trainer';

const CIFAR = resolve(__dirname, '../../../../../shared/data/cifar10');
const backend = { name: 'cpu' as const, device: 'test', software: false, details: {} };

interface Recorded {
  result: TrainResult;
  points: MetricPoint[];
  events: RunEvent[];
  checkpoints: Map<number, Uint8Array>;
  tensorsAtMetrics: number[];
}

async function run(
  input: ExperimentInput,
  opts: { resumeFrom?: Uint8Array; control?: (step: number) => Control } = {},
): Promise<Recorded> {
  const config: ExperimentConfig = experimentSchema.parse(input);
  const task = createTask(config);
  const rec: Recorded = {
    result: { outcome: 'completed', step: 0 },
    points: [],
    events: [],
    checkpoints: new Map(),
    tensorsAtMetrics: [],
  };
  let step = 0;
  rec.result = await train({
    config,
    task,
    backend,
    ...(opts.resumeFrom ? { resumeFrom: opts.resumeFrom } : {}),
    hooks: {
      emit: (e) => {
        rec.events.push(e);
        if (e.type === 'metrics') {
          rec.points.push(...e.points);
          rec.tensorsAtMetrics.push(tf.memory().numTensors);
        }
        if (e.type === 'progress') step = e.step;
      },
      saveCheckpoint: (s, bytes) => void rec.checkpoints.set(s, bytes.slice()),
      control: () => opts.control?.(step) ?? 'run',
      waitForResume: () => Promise.resolve('run'),
    },
  });
  return rec;
}

const series = (points: MetricPoint[], name: string): [number, number][] =>
  points.filter((p) => p.series === name).map((p) => [p.step, p.value]);

/** A small MLP with noisy BN, minibatches and Adam: every kind of state a checkpoint must carry. */
const mlpConfig: ExperimentInput = {
  seed: 7,
  model: { network: 'mlp', hidden: [12, 12], normalization: 'noisy-batch' },
  data: { dataset: 'dln-synthetic', samples: 48, dim: 10 },
  optimizer: { name: 'adam', lr: 1e-2 },
  schedule: { steps: 16, batchSize: 8, trainMetricsEvery: 1, testMetricsEvery: 0, checkpointEvery: 6 },
};

describe('trainer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('resumed from a checkpoint, follows the uninterrupted trajectory exactly (MLP, noisy BN, Adam)', async () => {
    const full = await run(mlpConfig);
    expect(full.result).toEqual({ outcome: 'completed', step: 16 });
    expect([...full.checkpoints.keys()]).toEqual([6, 12, 16]);
    const resumed = await run(mlpConfig, { resumeFrom: full.checkpoints.get(6) as Uint8Array });
    const tail = series(full.points, 'train/loss').filter(([s]) => s > 6);
    expect(series(resumed.points, 'train/loss')).toEqual(tail);
    // The weights, optimizer moments and running estimates end bit-identical.
    expect(
      Buffer.from(resumed.checkpoints.get(16) as Uint8Array).equals(
        Buffer.from(full.checkpoints.get(16) as Uint8Array),
      ),
    ).toBe(true);
  });

  it('resumes a vgg-tiny with BatchNorm, augmentation and momentum on CIFAR-10 exactly', async () => {
    const cfg: ExperimentInput = {
      seed: 3,
      model: { network: 'vgg-tiny', normalization: 'batch' },
      data: {
        dataset: 'cifar10',
        dir: CIFAR,
        trainLimit: 64,
        testLimit: 24,
        augment: { crop: true, flip: true },
      },
      optimizer: { name: 'momentum', lr: 0.05 },
      schedule: {
        steps: 4,
        batchSize: 8,
        trainMetricsEvery: 1,
        testMetricsEvery: 4,
        testBatchSize: 12,
        checkpointEvery: 2,
      },
    };
    const full = await run(cfg);
    const resumed = await run(cfg, { resumeFrom: full.checkpoints.get(2) as Uint8Array });
    expect(series(resumed.points, 'train/loss')).toEqual(
      series(full.points, 'train/loss').filter(([s]) => s > 2),
    );
    // The full run also evaluated its initial weights at step 0 (trainerTestAtStart.test.ts).
    expect(series(resumed.points, 'test/accuracy')).toEqual(
      series(full.points, 'test/accuracy').filter(([s]) => s > 2),
    );
    expect(series(full.points, 'test/loss').map(([s]) => s)).toEqual([0, 4]);
  });

  it('records divergence at the step the loss became non-finite, instead of crashing', async () => {
    const rec = await run({
      ...mlpConfig,
      model: { network: 'mlp', hidden: [12], normalization: 'none' },
      optimizer: { name: 'sgd', lr: 1e12 },
    });
    expect(rec.result.outcome).toBe('diverged');
    const losses = series(rec.points, 'train/loss');
    const at = rec.result.divergedAtStep as number;
    expect(losses.at(-1)?.[0]).toBe(at);
    expect(Number.isFinite(losses.at(-1)?.[1])).toBe(false);
    expect(losses.slice(0, -1).every(([, v]) => Number.isFinite(v))).toBe(true);
  });

  it('stops on request after the current step with a checkpoint, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const rec = await run(mlpConfig, { control: (step) => (step >= 5 ? 'stop' : 'run') });
    expect(rec.result).toEqual({ outcome: 'stopped', step: 5 });
    expect([...rec.checkpoints.keys()]).toEqual([5]);
    // Live tensors are flat across steps and everything is released at the end.
    expect(new Set(rec.tensorsAtMetrics.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
