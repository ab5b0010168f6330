import * as tf from '@tensorflow/tfjs-core';
import { isUserError, UserError } from '../../../shared/errors';
import { hostCpuDescription } from './hostCpu';
import type { BackendDetails, BackendInfo } from './types';
import { describeWasm, setupWasmBackend } from './wasm';

/** tfjs-backend-wasm (XNNPACK) plus NormLab's own training kernels (see ./wasm). Runs on any CPU. */
export async function initWasmBackend(): Promise<BackendInfo> {
  try {
    await setupWasmBackend();
  } catch (e) {
    if (isUserError(e)) throw e;
    throw new UserError(
      'backend-unavailable',
      `wasm: the WebAssembly backend failed to load (${e instanceof Error ? e.message : String(e)}); ` +
        `reinstall @tensorflow/tfjs-backend-wasm@${tf.version_core}.`,
    );
  }
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) {
    throw new UserError(
      'backend-unavailable',
      'wasm: tfjs failed to start the WebAssembly backend; reinstall NormLab.',
    );
  }
  const described = await describeWasm();
  const details: BackendDetails = { simd: described.simd, threadsWanted: described.threadsWanted };
  details.trainingKernels = described.trainingKernels;
  if (described.threadsCount !== undefined) details.threadsCount = described.threadsCount;
  if (described.threadsError !== undefined) details.threadsError = described.threadsError;
  return { name: 'wasm', device: hostCpuDescription(), software: false, details };
}
