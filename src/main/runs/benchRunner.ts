/**
 * Runs training benchmarks backend by backend, each in its own engine worker (a fresh tfjs engine,
 * and a backend that fails cannot disturb the others).
 */
import type { BackendName } from '../../shared/config';
import type { BackendInfo } from '../../shared/events';
import type { BenchResult, BenchSpec } from '../engine/training/benchmark';
import { WorkerHost } from './workerHost';

export type { BenchResult, BenchSpec };

export interface BackendBench {
  backend: BackendName;
  info?: BackendInfo;
  results: BenchResult[];
  error?: string;
}

export function benchBackend(
  backend: BackendName,
  specs: BenchSpec[],
  onResult?: (r: BenchResult) => void,
): Promise<BackendBench> {
  return new Promise((resolve) => {
    const out: BackendBench = { backend, results: [] };
    const host: WorkerHost = new WorkerHost({
      onMessage: (m) => {
        if (m.type === 'bench') {
          out.info = m.backend;
          out.results.push(m.result);
          onResult?.(m.result);
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
    });
    host.send({ type: 'bench', backend, specs });
  });
}
