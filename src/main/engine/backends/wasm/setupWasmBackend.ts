/**
 * Makes 'wasm' the active tfjs backend for Node, with NormLab's training kernels installed, computing
 * with several threads where the machine has several cores (threadedWasm.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UserError } from '../../../../shared/errors';
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels';
import { createThreadedWasmBackend } from './threadedWasm';
import { wasmBinaryFolder } from './wasmBinaryFolder';
import { wasmThreadsWanted } from './wasmThreads';

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

/** Marks NormLab's factory, so the stock one it wraps is never mistaken for it. */
const OURS = Symbol.for('normlab.wasmBackendFactory');

/** The factory @tensorflow/tfjs-backend-wasm registers on import: its single-threaded (SIMD) build. */
let stockFactory: BackendFactory | undefined;

/** Why the multi-threaded build did not start, when it was asked for and failed; undefined otherwise. */
let threadedError: string | undefined;

/** Tfjs's priority for 'wasm' (tfjs-backend-wasm registers it at 2). */
const WASM_PRIORITY = 2;

/**
 * Registers the kernels (once), installs the backend factory for `threads` threads unless the backend
 * has already started (its thread count is then fixed until tf.removeBackend('wasm')), selects it and
 * awaits tf.ready(). More than one thread uses the multi-threaded build; should that fail to start, the
 * single-threaded build runs instead and wasmThreadedError() says why.
 */
export async function setupWasmBackend(threads: number = wasmThreadsWanted()): Promise<void> {
  registerWasmTrainingKernels();
  if (tf.findBackend('wasm') == null) installFactory(threads);
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

/** Why the multi-threaded build fell back to one thread, if it did. */
export function wasmThreadedError(): string | undefined {
  return threadedError;
}

function installFactory(threads: number): void {
  const registered = tf.findBackendFactory('wasm') as (BackendFactory & { [OURS]?: true }) | null;
  if (registered != null && registered[OURS] !== true) stockFactory = registered;
  const stock = stockFactory;
  if (stock == null) {
    throw new UserError(
      'backend-unavailable',
      'the wasm backend is not registered; reinstall @tensorflow/tfjs-backend-wasm',
    );
  }
  // Read by the stock factory when it first initializes.
  setWasmPaths(wasmBinaryFolder());
  const factory: BackendFactory & { [OURS]?: true } = async () => {
    threadedError = undefined;
    if (threads > 1) {
      try {
        return await createThreadedWasmBackend(threads);
      } catch (e) {
        threadedError = e instanceof Error ? e.message : String(e);
      }
    }
    setThreadsCount(1);
    return stock();
  };
  factory[OURS] = true;
  if (registered != null) tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
}
