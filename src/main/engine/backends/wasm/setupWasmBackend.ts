/**
 * Makes 'wasm' the active tfjs backend for Node, with NormLab's training kernels installed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UserError } from '../../../../shared/errors';
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels';
import { wasmBinaryFolder } from './wasmBinaryFolder';

/** Registers the kernels (once), points the backend at its binaries, selects it and awaits tf.ready(). */
export async function setupWasmBackend(): Promise<void> {
  registerWasmTrainingKernels();
  // The paths are read when the backend first initializes; later calls must not touch them.
  if (tf.findBackend('wasm') == null) setWasmPaths(wasmBinaryFolder());
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } catch (e) {
    throw new UserError(
      'backend-unavailable',
      `the wasm backend failed to start (${String(e)}); reinstall @tensorflow/tfjs-backend-wasm or choose another backend`,
    );
  }
  if (!ok) {
    throw new UserError(
      'backend-unavailable',
      `the wasm backend failed to start (looked for its binaries in ${wasmBinaryFolder()}); reinstall @tensorflow/tfjs-backend-wasm or choose another backend`,
    );
  }
  await tf.ready();
}
