import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentInput } from '../../../../src/shared/config';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { train } from '../../../../src/main/engine/training/trainer';

const backend = { name: 'cpu' as const, device: 'test', software: false, details: {} };

/** Trains `input` on the cpu backend; the train/loss series and the checkpoints by step. */
async function losses(
  input: ExperimentInput,
  resumeFrom?: Uint8Array,
): Promise<{ loss: [number, number][]; checkpoints: Map<number, Uint8Array> }> {
  const config = experimentSchema.parse(input);
  const loss: [number, number][] = [];
  const checkpoints = new Map<number, Uint8Array>();
  await train({
    config,
    task: createTask(config),
    backend,
    ...(resumeFrom ? { resumeFrom } : {}),
    hooks: {
      emit: (e) => {
        if (e.type === 'metrics')
          for (const p of e.points) if (p.series === 'train/loss') loss.push([p.step, p.value]);
      },
      saveCheckpoint: (s, bytes) => void checkpoints.set(s, bytes.slice()),
      control: () => 'run',
      waitForResume: () => Promise.resolve('run'),
    },
  });
  return { loss, checkpoints };
}

const noisyMlp = (generator: 'philox' | 'alea'): ExperimentInput => ({
  seed: 5,
  model: { network: 'mlp', hidden: [10, 10], normalization: 'noisy-batch', noisy: { generator } },
  data: { dataset: 'dln-synthetic', samples: 32, dim: 10 },
  optimizer: { name: 'sgd', lr: 1e-2 },
  schedule: { steps: 6, batchSize: 8, trainMetricsEvery: 1, testMetricsEvery: 0, checkpointEvery: 3 },
});

describe('noisy batch norm training by generator', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('philox: two runs and a resumed one follow the same trajectory, which differs from alea', async () => {
    const first = await losses(noisyMlp('philox'));
    const second = await losses(noisyMlp('philox'));
    expect(first.loss.map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(second.loss).toEqual(first.loss);
    const resumed = await losses(noisyMlp('philox'), first.checkpoints.get(3));
    expect(resumed.loss).toEqual(first.loss.filter(([s]) => s > 3));

    const alea = await losses(noisyMlp('alea'));
    // The same weights and batches: the first step's loss differs only through the noise.
    expect(alea.loss[0]?.[1]).not.toBe(first.loss[0]?.[1]);
    expect((await losses(noisyMlp('alea'))).loss).toEqual(alea.loss);
  });
});
