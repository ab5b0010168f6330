import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkTrainingStep } from '../../../../src/main/engine/backends';

/** Replaces the cpu kernel `name` by one whose outputs are all `value`; returns the undo. */
function sabotage(name: string, value: number): () => void {
  const original = tf.getKernel(name, 'cpu');
  if (!original) throw new Error(`no cpu kernel ${name}`);
  tf.unregisterKernel(name, 'cpu');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const out = original.kernelFunc(args) as tf.TensorInfo;
      const filled = tf.fill(out.shape, value);
      (args.backend as tf.KernelBackend).disposeData(out.dataId);
      return filled;
    },
  });
  return () => {
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel(original);
  };
}

let undo: (() => void) | null = null;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  undo?.();
  undo = null;
});

describe('checkTrainingStep', () => {
  it('passes on a sound backend and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await expect(checkTrainingStep()).resolves.toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a backend whose arithmetic yields NaN', async () => {
    undo = sabotage('Sqrt', NaN);
    await expect(checkTrainingStep()).rejects.toThrow(/non-finite/);
  });

  it('rejects a backend that returns zeros (as failed shader compiles do)', async () => {
    undo = sabotage('BatchMatMul', 0);
    await expect(checkTrainingStep()).rejects.toThrow(/all-zero gradients/);
  });
});
