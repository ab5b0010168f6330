/**
 * What the wasm backend runs on here, for `normlab backends` and run records.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { wasmTrainingKernelsRegistered } from './registerWasmTrainingKernels';

export interface WasmDescription {
  /** WebAssembly SIMD available, so the SIMD build of XNNPACK runs. */
  simd: boolean;
  /** Multi-threaded wasm available (tfjs 4.22 never enables it under Node). */
  threads: boolean;
  /** Threads XNNPACK actually uses; known once the backend has initialized, else undefined. */
  threadsCount: number | undefined;
  /** NormLab's training kernels are installed in the registry. */
  trainingKernels: boolean;
}

export async function describeWasm(): Promise<WasmDescription> {
  const [simd, threads] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  return {
    simd: simd === true,
    threads: threads === true,
    threadsCount: tf.findBackend('wasm') == null ? undefined : getThreadsCount(),
    trainingKernels: wasmTrainingKernelsRegistered(),
  };
}
