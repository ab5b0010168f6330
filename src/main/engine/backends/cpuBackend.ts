import * as tf from '@tensorflow/tfjs-core';
// A named import, not a bare one: bundlers drop bare imports of packages marked side-effect free.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { UserError } from '../../../shared/errors';
import { hostCpuDescription } from './hostCpu';
import type { BackendInfo } from './types';

/** The tfjs reference backend: plain single-threaded JavaScript. Right for tests, far too slow to train. */
export async function initCpuBackend(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) {
    throw new UserError(
      'backend-unavailable',
      'The cpu backend failed to initialize; use backend wasm instead.',
    );
  }
  return {
    name: 'cpu',
    device: hostCpuDescription(),
    software: false,
    details: { kernels: 'tfjs reference JavaScript, single thread', version: version_cpu },
  };
}
