/** The loss tests' setup: tfjs on the cpu backend (the reference), and a scalar tensor read and freed. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll } from 'vitest';

/** Runs the file's tests on the cpu backend. */
export function onCpuBackend(): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
}

/** A scalar tensor's value; the tensor is disposed. */
export function value(t: tf.Tensor): number {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
}
