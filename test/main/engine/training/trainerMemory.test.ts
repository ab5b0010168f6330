/**
 * No tensor outlives the step that made it: with every probe due at every step, the live tensor
 * count (tf.memory().numTensors) seen at each step's progress event stays the same, so a leak of
 * even one tensor per probing step fails here long before a 100k-step run would grow.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { train } from '../../../../src/main/engine/training/trainer';
import { experimentSchema } from '../../../../src/shared/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const STEPS = 12;

describe.each(['sgd', 'adam'] as const)('training with every probe at every step (%s)', (optimizer) => {
  it('holds the same number of tensors after every step, and none after the run', async () => {
    const config = experimentSchema.parse({
      model: { network: 'mlp', normalization: 'noisy-batch', hidden: [8, 8] },
      data: { dataset: 'dln-synthetic', dim: 6, samples: 32 },
      optimizer: { name: optimizer, lr: 1e-4 },
      schedule: {
        steps: STEPS,
        batchSize: 32,
        trainMetricsEvery: 1,
        testMetricsEvery: 0,
        checkpointEvery: 4,
      },
      probes: {
        ics: { every: 1 },
        landscape: { every: 1 },
        activations: { every: 1, bins: 5 },
        norms: { every: 1 },
        bnGradients: { every: 1 },
        hessian: { every: 1, maxIterations: 2, traceSamples: 2 },
      },
    });
    const task = createTask(config);
    const before = tf.memory().numTensors;
    const live: number[] = [];
    let records = 0;
    await train({
      config,
      task,
      backend: { name: 'cpu', device: 'test', software: false, details: {} },
      hooks: {
        emit: (e) => {
          if (e.type === 'progress') live.push(tf.memory().numTensors);
          if (e.type === 'probes') records += e.records.length;
        },
        saveCheckpoint: () => undefined,
        control: () => 'run',
        waitForResume: () => Promise.resolve('run'),
      },
    });
    expect(records).toBeGreaterThan(STEPS * 5);
    expect(live).toHaveLength(STEPS);
    // Adam's moment slots appear with the first update; from then on nothing accumulates.
    expect(new Set(live.slice(1)), `live tensors per step: ${live.join(' ')}`).toEqual(new Set([live[1]]));
    expect(tf.memory().numTensors).toBe(before);
  });
});
