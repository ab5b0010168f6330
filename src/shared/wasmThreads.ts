/**
 * The wasm backend's thread count as a user sets it: a request's `threads` field (carried to the
 * engine worker in its message), or NORMLAB_WASM_THREADS in the environment as the fallback; a whole
 * number from 1 to MAX_WASM_THREADS or "auto" for every core. The thread count changes speed, never
 * results.
 */
import { UserError } from './errors';

/** The most threads the build can use: it pre-starts 8 pthread workers and tfjs caps its pool at 8. */
export const MAX_WASM_THREADS = 8;

export const WASM_THREADS_ENV = 'NORMLAB_WASM_THREADS';

/** A thread count a user typed, or 'auto'; `what` names where it came from for the error message. */
export function parseWasmThreads(raw: string, what: string): number | 'auto' {
  const t = raw.trim();
  if (t === 'auto') return 'auto';
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > MAX_WASM_THREADS) {
    throw new UserError(
      'config',
      `${what} must be a whole number of threads from 1 to ${MAX_WASM_THREADS}, or "auto" for every core; not "${raw}"`,
    );
  }
  return n;
}

/** "Every core": the cores this process may use, at most MAX_WASM_THREADS. */
export function wasmThreadsForCores(cores: number): number {
  return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
}
