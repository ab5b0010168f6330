/**
 * Runs a loss-slice job (shared/slices.ts) in an engine worker and stores each grid point as it
 * arrives, so stopping (or a killed process) loses at most the point being computed, and the job
 * resumes with the points it lacks.
 */
import type { Threads } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import type { ErrorInfo } from '../../shared/errors';
import type { BackendInfo } from '../../shared/events';
import type { SlicePoint } from '../../shared/slices';
import type { Store } from '../store';
import { WorkerHost, type WorkerEntry } from './workerHost';
import type { WorkerToHost } from '../../shared/workerProtocol';

export type SliceEvent =
  | { type: 'started'; backend: BackendInfo; done: number; total: number }
  | { type: 'point'; point: Omit<SlicePoint, 'alpha' | 'beta'>; done: number; total: number };

export interface SliceResult {
  jobId: string;
  outcome: 'completed' | 'stopped' | 'failed';
  done: number;
  total: number;
  error?: ErrorInfo;
}

export interface ActiveSlice {
  readonly jobId: string;
  /** Settles when the job has ended and its status is stored; never rejects. */
  readonly done: Promise<SliceResult>;
  /** Ends the job after the point being computed; it stays resumable. */
  stop(): void;
}

export interface SliceOptions {
  /** wasm threads, carried to the worker in its `slice` message. */
  threads?: Threads | undefined;
  workerEntry?: WorkerEntry | undefined;
}

export function startSlice(
  store: Store,
  jobId: string,
  config: ExperimentConfig,
  checkpoint: Uint8Array,
  listener: (event: SliceEvent) => void,
  options: SliceOptions = {},
): ActiveSlice {
  const job = store.getSliceJob(jobId);
  if (!job) throw new Error(`startSlice: no slice job ${jobId}`);
  const stored = store.readSlicePoints(jobId).map((p): [number, number] => [p.i, p.j]);
  let done = stored.length;
  const { total } = job;
  let settle: (r: SliceResult) => void = () => undefined;
  const finished = new Promise<SliceResult>((resolve) => (settle = resolve));
  let ended = false;
  store.setSliceStatus(jobId, 'running', null, process.pid);

  const end = (outcome: SliceResult['outcome'], error?: ErrorInfo): void => {
    if (ended) return;
    ended = true;
    store.setSliceStatus(jobId, outcome, error?.message ?? null, null);
    void host.terminate().then(() => settle({ jobId, outcome, done, total, ...(error ? { error } : {}) }));
  };

  const onMessage = (m: WorkerToHost): void => {
    if (ended) return;
    switch (m.type) {
      case 'slice-started':
        listener({ type: 'started', backend: m.backend, done, total });
        break;
      case 'slice-point':
        store.appendSlicePoints(jobId, [{ i: m.i, j: m.j, loss: m.loss }]);
        done++;
        listener({ type: 'point', point: { i: m.i, j: m.j, loss: m.loss }, done, total });
        break;
      case 'slice-ended':
        end(m.outcome);
        break;
      case 'failed':
        end('failed', m.error);
        break;
      default:
        break;
    }
  };

  const host: WorkerHost = new WorkerHost(
    { onMessage, onCrash: (error) => end('failed', error) },
    ...(options.workerEntry ? [options.workerEntry] : []),
  );
  host.send({
    type: 'slice',
    config,
    checkpoint,
    settings: job.settings,
    stored,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  return {
    jobId,
    done: finished,
    stop: () => host.send({ type: 'control', action: 'stop' }),
  };
}
