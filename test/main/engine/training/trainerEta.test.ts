/**
 * The trainer's progress ETA counts the probes: right after step 1, where every probe has run once,
 * it is at least the probes' remaining runs priced at what each cost at step 1 (the cost series the
 * runner emits), on top of the remaining steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { dueSteps } from '../../../../src/main/engine/training/remainingWork';
import { train } from '../../../../src/main/engine/training/trainer';
import { experimentSchema } from '../../../../src/shared/config';
import type { MetricPoint, RunEvent } from '../../../../src/shared/events';
import type { ProbeName } from '../../../../src/shared/probes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const STEPS = 30;
const EVERY: Partial<Record<ProbeName, number>> = { landscape: 5, ics: 5, hessian: 10, norms: 1 };

describe('the progress ETA', () => {
  it('counts every probe run left at its measured cost, and ends at 0', async () => {
    const config = experimentSchema.parse({
      model: { network: 'mlp', normalization: 'batch', hidden: [16, 16] },
      data: { dataset: 'dln-synthetic', dim: 8, samples: 64 },
      optimizer: { lr: 1e-4 },
      schedule: {
        steps: STEPS,
        batchSize: 64,
        trainMetricsEvery: 1,
        testMetricsEvery: 0,
        checkpointEvery: 0,
      },
      probes: {
        landscape: { every: 5 },
        ics: { every: 5 },
        hessian: { every: 10, maxIterations: 5, traceSamples: 4 },
        norms: { every: 'train' },
      },
    });
    const progress: Extract<RunEvent, { type: 'progress' }>[] = [];
    const points: MetricPoint[] = [];
    await train({
      config,
      task: createTask(config),
      backend: { name: 'cpu', device: 'test', software: false, details: {} },
      hooks: {
        emit: (e) => {
          if (e.type === 'progress') progress.push(e);
          if (e.type === 'metrics') points.push(...e.points);
        },
        saveCheckpoint: () => undefined,
        control: () => 'run',
        waitForResume: () => Promise.resolve('run'),
      },
    });
    const costAtStep1 = (probe: ProbeName): number => {
      const p = points.find((x) => x.series === `probe/${probe}/cost/ms` && x.step === 1);
      expect(p, probe).toBeDefined();
      return p?.value ?? 0;
    };
    let probesLeftSec = 0;
    for (const [probe, every] of Object.entries(EVERY) as [ProbeName, number][]) {
      probesLeftSec += (dueSteps(every, 1, STEPS) * costAtStep1(probe)) / 1000;
    }
    const first = progress.find((e) => e.step === 1);
    expect(probesLeftSec).toBeGreaterThan(0);
    expect(first?.etaSec).toBeGreaterThan(probesLeftSec);
    expect(progress.at(-1)).toMatchObject({ step: STEPS, etaSec: 0 });
  });
});
