/**
 * How many threads the wasm backend computes with: NORMLAB_WASM_THREADS when set (shared/wasmThreads.ts),
 * else every core this process may use, at most MAX_WASM_THREADS. Imports nothing of tfjs, so the
 * host side (benchmarks) can use it without loading the engine.
 */
import { availableParallelism } from 'node:os';
import { MAX_WASM_THREADS, parseWasmThreads, WASM_THREADS_ENV } from '../../../../shared/wasmThreads';

export { MAX_WASM_THREADS, WASM_THREADS_ENV };

export function wasmThreadsWanted(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WASM_THREADS_ENV];
  if (raw === undefined || raw.trim() === '') return defaultWasmThreads();
  const n = parseWasmThreads(raw, WASM_THREADS_ENV);
  return n === 'auto' ? defaultWasmThreads() : n;
}

export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_WASM_THREADS));
}
