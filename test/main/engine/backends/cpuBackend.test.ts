import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkTrainingStep, initBackend } from '../../../../src/main/engine/backends';

describe("initBackend('cpu')", () => {
  it('selects the tfjs reference backend and records the CPU model as the device', async () => {
    const info = await initBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.name).toBe('cpu');
    expect(info.software).toBe(false);
    expect(info.device).toContain(cpus()[0]?.model.trim() ?? '');
    expect(info.device).toContain(`${cpus().length} threads`);
  });

  it('passes the training-step check without leaking tensors', async () => {
    await initBackend('cpu');
    const before = tf.memory().numTensors;
    await expect(checkTrainingStep()).resolves.toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });
});
