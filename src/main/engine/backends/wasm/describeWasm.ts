/**
 * What the wasm backend runs on here, for `normlab backends` and run records.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { wasmTrainingKernelsRegistered } from './registerWasmTrainingKernels';
import { wasmThreadedError } from './setupWasmBackend';
import { wasmThreadsWanted } from './wasmThreads';

export interface WasmDescription {
  /** WebAssembly SIMD available, so the SIMD build of XNNPACK runs. */
  simd: boolean;
  /** Threads the backend was asked for (NORMLAB_WASM_THREADS, else every core up to 8). */
  threadsWanted: number;
  /** Threads XNNPACK actually uses (the calling thread included); undefined until the backend starts. */
  threadsCount: number | undefined;
  /** Why the multi-threaded build could not start and one thread is used instead, if so. */
  threadsError?: string;
  /** NormLab's training kernels are installed in the registry. */
  trainingKernels: boolean;
}

export async function describeWasm(): Promise<WasmDescription> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threadsError = wasmThreadedError();
  return {
    simd: simd === true,
    threadsWanted: wasmThreadsWanted(),
    threadsCount: tf.findBackend('wasm') == null ? undefined : getThreadsCount(),
    ...(threadsError !== undefined ? { threadsError } : {}),
    trainingKernels: wasmTrainingKernelsRegistered(),
  };
}
