/**
 * How many threads the wasm backend computes with: the count the worker's message asked for
 * (`threads`, set with preferWasmThreadsFor), else NORMLAB_WASM_THREADS when set to a count
 * (shared/wasmThreads.ts), else ("auto") every core this process may use, at most MAX_WASM_THREADS,
 * except for experiments whose products are too small to split (autoWasmThreadsFor).
 */
import { availableParallelism } from 'node:os';
import type { Threads } from '../../../../shared/api';
import type { ExperimentConfig } from '../../../../shared/config';
import {
  MAX_WASM_THREADS,
  parseWasmThreads,
  WASM_THREADS_ENV,
  wasmThreadsForCores,
} from '../../../../shared/wasmThreads';

export { MAX_WASM_THREADS, WASM_THREADS_ENV };

/** What "auto" means in this thread; preferWasmThreadsFor narrows it to one experiment. */
let autoThreads: () => number = defaultWasmThreads;

/** The thread count this thread's worker message asked for; undefined lets the environment decide. */
let asked: Threads | undefined;

/**
 * `threads` (a worker message's field) wins; without it NORMLAB_WASM_THREADS decides, and without
 * that "auto".
 */
export function wasmThreadsWanted(
  env: NodeJS.ProcessEnv = process.env,
  threads: Threads | undefined = asked,
): number {
  if (threads !== undefined) {
    // A typed field skips the environment's parsing, not its bounds: 1..MAX_WASM_THREADS.
    const n = threads === 'auto' ? threads : parseWasmThreads(String(threads), 'the wasm thread count');
    return n === 'auto' ? autoThreads() : n;
  }
  const raw = env[WASM_THREADS_ENV];
  if (raw === undefined || raw.trim() === '') return autoThreads();
  const n = parseWasmThreads(raw, WASM_THREADS_ENV);
  return n === 'auto' ? autoThreads() : n;
}

export function defaultWasmThreads(): number {
  return wasmThreadsForCores(availableParallelism());
}

/**
 * Sets, for this thread from now on, what the next wasm backend starts with: `threads` as a worker
 * message asked (undefined: NORMLAB_WASM_THREADS, else "auto"), and "auto" choosing for `config`
 * (every core when there is none). An engine worker calls it before it starts the backend.
 */
export function preferWasmThreadsFor(config: ExperimentConfig | undefined, threads?: Threads): void {
  autoThreads = config ? () => autoWasmThreadsFor(config) : defaultWasmThreads;
  asked = threads;
}

/**
 * Below this many multiply-adds in a network's largest product per step, waking XNNPACK's threads
 * costs more than they save. Measured: dln25 (25 products of 1000 x 10 x 10 = 1e5) trained at 57k
 * examples/s on one thread and 39k on two; vgg-mini's convolutions (~1e9 each) ran 1.6-1.8x faster on
 * two. 2^22 sits well between.
 */
export const MIN_MACS_TO_THREAD = 2 ** 22;

/** Every core for convnets; one thread for networks whose largest product is below MIN_MACS_TO_THREAD. */
export function autoWasmThreadsFor(config: ExperimentConfig): number {
  const { model, data, schedule } = config;
  if (model.network !== 'dln25' && model.network !== 'mlp') return defaultWasmThreads();
  const input = data.dataset === 'cifar10' ? 32 * 32 * 3 : data.dim;
  // dln25: 25 dim x dim layers; mlp: input -> hidden... -> output (10 classes, or dim for the DLN task).
  const output = data.dataset === 'cifar10' ? 10 : data.dim;
  const widths = model.network === 'dln25' ? [input, input] : [input, ...model.hidden, output];
  let largest = 0;
  for (let i = 1; i < widths.length; i++) {
    largest = Math.max(largest, (widths[i - 1] as number) * (widths[i] as number));
  }
  return schedule.batchSize * largest < MIN_MACS_TO_THREAD ? 1 : defaultWasmThreads();
}
