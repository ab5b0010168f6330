/**
 * A stand-in engine worker for RunManager tests (run under `--import tsx`), steered by the name in the
 * run's config:
 *
 *   WORKER_THROWS   throws from its message handler: an uncaught exception inside the worker thread
 *   WORKER_EXITS    reports `started` and steps 1..EXIT_AFTER_STEP like the engine (points, a
 *                   checkpoint at step 2), then ends its thread with exit code EXIT_CODE, mid-run
 *   anything else   loads the real engine worker (src/main/engine/worker.ts) and hands it the message,
 *                   so one RunManager can run crashing and real runs one after the other
 */
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import type { WorkerEntry } from '../../src/main/runs/workerHost';
import type { HostToWorker, WorkerToHost } from '../../src/shared/workerProtocol';

export const WORKER_THROWS = 'scripted: throw';
export const WORKER_EXITS = 'scripted: exit mid-run';
export const EXIT_AFTER_STEP = 3;
export const EXIT_CODE = 3;

export function scriptedWorkerEntry(): WorkerEntry {
  return { path: fileURLToPath(import.meta.url), execArgv: ['--import', 'tsx'] };
}

function exitMidRun(post: (m: WorkerToHost) => void): void {
  post({
    type: 'event',
    event: {
      type: 'started',
      backend: { name: 'cpu', device: 'scripted', software: false, details: {} },
      fromStep: 0,
      totalSteps: 10,
      parameters: 1,
    },
  });
  for (let step = 1; step <= EXIT_AFTER_STEP; step++) {
    post({
      type: 'event',
      event: { type: 'metrics', points: [{ series: 'train/loss', step, value: 1 / step }] },
    });
    post({
      type: 'event',
      event: {
        type: 'progress',
        step,
        totalSteps: 10,
        loss: 1 / step,
        accuracy: null,
        examplesPerSec: 1,
        etaSec: 1,
      },
    });
    if (step === 2) post({ type: 'checkpoint', step, bytes: new Uint8Array([1, 2, 3]) });
  }
  // Node delivers the messages posted above before it reports the thread's exit.
  process.exit(EXIT_CODE);
}

const port = parentPort;
if (port) {
  port.once('message', (message: HostToWorker) => {
    const name = message.type === 'train' ? message.config.name : '';
    if (name === WORKER_THROWS) throw new Error('scripted worker failure');
    if (name === WORKER_EXITS) return exitMidRun((m) => port.postMessage(m));
    void import('../../src/main/engine/worker').then(() => port.emit('message', message));
  });
}
