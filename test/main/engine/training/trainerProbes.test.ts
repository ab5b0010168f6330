/**
 * Probes never change training: the same run with every probe on at every step and with every probe
 * off has bit-identical training losses, accuracies and final weights (on wasm, the backend users
 * train on without a GPU, and with Algorithm 1's noise, whose draws the probes repeat).
 */
import * as tf from '@tensorflow/tfjs-core';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../src/main/engine/backends/wasm';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { train } from '../../../../src/main/engine/training/trainer';
import { experimentSchema, type ExperimentInput } from '../../../../src/shared/config';
import type { MetricPoint } from '../../../../src/shared/events';
import type { ProbeRecord } from '../../../../src/shared/probes';

const CIFAR = resolve(__dirname, '../../../../../shared/data/cifar10');
const backend = { name: 'wasm' as const, device: 'test', software: false, details: {} };
const STEPS = 3;

const ALL_PROBES = {
  ics: { every: 1 },
  landscape: { every: 1 },
  activations: { every: 1, bins: 8 },
  norms: { every: 1 },
  bnGradients: { every: 1 },
  hessian: { every: 1, maxIterations: 3, traceSamples: 2 },
};
const NO_PROBES = { norms: { every: 0 } };

function config(normalization: 'noisy-batch' | 'batch' | 'none', probes: object): ExperimentInput {
  return {
    seed: 7,
    model: { network: 'vgg-tiny', normalization },
    data: { dataset: 'cifar10', dir: CIFAR, trainLimit: 64, testLimit: 16 },
    optimizer: { name: 'momentum', lr: 0.05 },
    schedule: { steps: STEPS, batchSize: 16, trainMetricsEvery: 1, testMetricsEvery: 0, checkpointEvery: 0 },
    probes: probes as ExperimentInput['probes'],
  };
}

interface Outcome {
  points: MetricPoint[];
  records: ProbeRecord[];
  checkpoint: Uint8Array | undefined;
  tensorsAfter: number;
}

async function run(input: ExperimentInput): Promise<Outcome> {
  const c = experimentSchema.parse(input);
  const out: Outcome = { points: [], records: [], checkpoint: undefined, tensorsAfter: 0 };
  const task = createTask(c);
  const before = tf.memory().numTensors;
  await train({
    config: c,
    task,
    backend,
    hooks: {
      emit: (e) => {
        if (e.type === 'metrics') out.points.push(...e.points);
        if (e.type === 'probes') out.records.push(...e.records);
      },
      saveCheckpoint: (_s, bytes) => void (out.checkpoint = bytes.slice()),
      control: () => 'run',
      waitForResume: () => Promise.resolve('run'),
    },
  });
  out.tensorsAfter = tf.memory().numTensors - before;
  return out;
}

const trainSeries = (o: Outcome): MetricPoint[] => o.points.filter((p) => p.series.startsWith('train/'));

beforeAll(async () => {
  await setupWasmBackend();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['noisy-batch', 'batch'] as const)('training with every probe on, %s', (norm) => {
  let on: Outcome;
  let off: Outcome;
  beforeAll(async () => {
    off = await run(config(norm, NO_PROBES));
    on = await run(config(norm, ALL_PROBES));
  }, 120_000);

  it('has the same losses and accuracies, bit for bit, and the same final weights', () => {
    expect(trainSeries(off).length).toBe(2 * STEPS);
    expect(trainSeries(on)).toEqual(trainSeries(off));
    expect(off.points.some((p) => p.series.startsWith('probe/'))).toBe(false);
    expect(on.checkpoint).toEqual(off.checkpoint);
  });

  it('records every probe at every step, with its cost, and leaves no tensor behind', () => {
    for (let k = 1; k <= STEPS; k++) {
      const at = new Set(on.points.filter((p) => p.step === k).map((p) => p.series));
      for (const probe of ['ics', 'landscape', 'activations', 'norms', 'bnGradients', 'hessian']) {
        expect(at.has(`probe/${probe}/cost/ms`), `${probe} at ${k}`).toBe(true);
      }
      expect(at.has('probe/landscape/beta_eff')).toBe(true);
      expect(at.has('probe/ics/layer2/cos')).toBe(true);
    }
    expect(on.records.filter((r) => 'error' in r.data)).toEqual([]);
    expect(on.records.some((r) => r.probe === 'activations')).toBe(true);
    expect(on.tensorsAfter).toBe(off.tensorsAfter);
  });
});

describe('a diverging run with probes', () => {
  it('records at the diverged step why each due probe has nothing to measure, and ends diverged', async () => {
    const c = experimentSchema.parse({
      model: { network: 'dln25', normalization: 'none' },
      data: { dataset: 'dln-synthetic', samples: 100 },
      optimizer: { lr: 1 },
      schedule: { steps: 50, batchSize: 100, trainMetricsEvery: 1, testMetricsEvery: 0, checkpointEvery: 0 },
      probes: { landscape: { every: 1 } },
    });
    const records: ProbeRecord[] = [];
    const result = await train({
      config: c,
      task: createTask(c),
      backend,
      hooks: {
        emit: (e) => {
          if (e.type === 'probes') records.push(...e.records);
        },
        saveCheckpoint: () => undefined,
        control: () => 'run',
        waitForResume: () => Promise.resolve('run'),
      },
    });
    expect(result.outcome).toBe('diverged');
    const at = records.filter((r) => r.step === result.divergedAtStep);
    expect(at.map((r) => r.probe).sort()).toEqual(['landscape', 'norms']);
    for (const r of at)
      expect(r.data.error).toMatch(/the training loss is (NaN|Infinity) at this step \(the run diverged\)/);
  }, 60_000);
});
