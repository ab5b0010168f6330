/**
 * Runs training benchmarks backend by backend, each in its own engine worker (a fresh tfjs engine,
 * and a backend that fails cannot disturb the others).
 */
import type { BackendName } from '../../shared/config';
import type { BackendInfo } from '../../shared/events';
import type {
  BenchResult,
  BenchSpec,
  OpBenchSpec,
  OpTiming,
  ProbeOverheadResult,
  ProbeOverheadSpec,
} from '../../shared/bench';
import { availableParallelism } from 'node:os';
import { parseWasmThreads, wasmThreadsForCores } from '../../shared/wasmThreads';
import { defaultWorkerEntry, WorkerHost } from './workerHost';

export type { BenchResult, BenchSpec, OpBenchSpec, OpTiming, ProbeOverheadResult, ProbeOverheadSpec };
/** wasm's "every core": the cores this process may use, at most MAX_WASM_THREADS. */
export function defaultWasmThreads(): number {
  return wasmThreadsForCores(availableParallelism());
}

export interface BackendBench {
  backend: BackendName;
  /** wasm only: the threads asked for (the backend's record, info.details.threadsCount, says how many ran). */
  threads?: number;
  info?: BackendInfo;
  results: BenchResult[];
  /** The probe-overhead measurements asked for (benchmarkProbeOverhead). */
  probeResults: ProbeOverheadResult[];
  error?: string;
}

/** Measures `specs` on `backend` in a fresh engine worker; `threads` sets the wasm thread count. */
export function benchBackend(
  backend: BackendName,
  specs: BenchSpec[],
  onResult?: (r: BenchResult) => void,
  threads?: number,
  probeSpecs: ProbeOverheadSpec[] = [],
): Promise<BackendBench> {
  return new Promise((resolve) => {
    const out: BackendBench = {
      backend,
      ...(threads !== undefined ? { threads } : {}),
      results: [],
      probeResults: [],
    };
    if (threads !== undefined) {
      try {
        parseWasmThreads(String(threads), 'the wasm thread count');
      } catch (e) {
        out.error = (e as Error).message;
        resolve(out);
        return;
      }
    }
    const host: WorkerHost = new WorkerHost(
      {
        onMessage: (m) => {
          if (m.type === 'bench') {
            out.info = m.backend;
            out.results.push(m.result);
            onResult?.(m.result);
          } else if (m.type === 'probe-bench') {
            out.info = m.backend;
            out.probeResults.push(m.result);
          } else if (m.type === 'failed') {
            out.error = m.error.message;
            void host.terminate().then(() => resolve(out));
          } else if (m.type === 'event' && m.event.type === 'ended') {
            void host.terminate().then(() => resolve(out));
          }
        },
        onCrash: (e) => {
          out.error = e.message;
          resolve(out);
        },
      },
      defaultWorkerEntry(),
    );
    host.send({ type: 'bench', backend, specs, probeSpecs, ...(threads !== undefined ? { threads } : {}) });
  });
}

export interface OpsBench {
  backend: BackendName;
  /** wasm only: the threads asked for (info.details.threadsCount says how many ran). */
  threads?: number;
  info?: BackendInfo;
  /** In the order measured; kept when the worker fails part way. */
  timings: OpTiming[];
  error?: string;
}

/**
 * Times the ops of each spec (engine/training/opBenchmark.ts) on `backend` in a fresh engine worker;
 * `threads` sets the wasm thread count.
 */
export function benchOps(
  backend: BackendName,
  specs: OpBenchSpec[],
  threads?: number,
  onTiming?: (t: OpTiming) => void,
): Promise<OpsBench> {
  return new Promise((resolve) => {
    const out: OpsBench = { backend, ...(threads !== undefined ? { threads } : {}), timings: [] };
    if (threads !== undefined) {
      try {
        parseWasmThreads(String(threads), 'the wasm thread count');
      } catch (e) {
        out.error = (e as Error).message;
        resolve(out);
        return;
      }
    }
    const host: WorkerHost = new WorkerHost(
      {
        onMessage: (m) => {
          if (m.type === 'op-timing') {
            out.info = m.backend;
            out.timings.push(m.timing);
            onTiming?.(m.timing);
          } else if (m.type === 'failed') {
            out.error = m.error.message;
            void host.terminate().then(() => resolve(out));
          } else if (m.type === 'event' && m.event.type === 'ended') {
            void host.terminate().then(() => resolve(out));
          }
        },
        onCrash: (e) => {
          out.error = e.message;
          resolve(out);
        },
      },
      defaultWorkerEntry(),
    );
    host.send({ type: 'op-bench', backend, specs, ...(threads !== undefined ? { threads } : {}) });
  });
}
