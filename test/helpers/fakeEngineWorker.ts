/**
 * A stand-in engine worker for the service and queue tests (run under `--import tsx`): it speaks the
 * worker protocol (shared/workerProtocol.ts) like the engine but trains nothing, so a test runs many
 * runs in milliseconds and steers them precisely.
 *
 *   train   `started` (backend cpu on device "fake", threadsCount = the message's threads or 1), then
 *           per step k: train/loss = 1/k and perf/examples_per_sec = 1000 as metrics, a progress event,
 *           a checkpoint every schedule.checkpointEvery steps; pause/resume/stop like the trainer (a
 *           checkpoint at the pause or stop step); a checkpoint and `ended completed` at the last step.
 *           Steps take FAKE_STEP_MS, or FAKE_SLOW_STEP_MS for a run whose name contains "slow".
 *           A checkpoint's bytes are its step as a 32-bit integer, which a resume starts from.
 *   slice   `slice-started`, then each grid point not stored yet with loss i + j, then `slice-ended`.
 */
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import type { WorkerEntry } from '../../src/main/runs/workerHost';
import type { HostToWorker, WorkerToHost } from '../../src/shared/workerProtocol';

export const FAKE_STEP_MS = 2;
export const FAKE_SLOW_STEP_MS = 40;

export function fakeEngineWorkerEntry(): WorkerEntry {
  return { path: fileURLToPath(import.meta.url), execArgv: ['--import', 'tsx'] };
}

export function fakeCheckpoint(step: number): Uint8Array {
  return new Uint8Array(new Uint32Array([step]).buffer);
}

function stepOf(bytes: Uint8Array): number {
  return new Uint32Array(bytes.slice(0, 4).buffer)[0] ?? 0;
}

const port = parentPort;
if (port) {
  let control: 'run' | 'pause' | 'stop' = 'run';
  // Read through a call: the message handler changes it while a step awaits.
  const now = (): 'run' | 'pause' | 'stop' => control;
  let wake: (() => void) | undefined;
  const post = (m: WorkerToHost): void => port.postMessage(m);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const backend = (threads: unknown) => ({
    name: 'cpu' as const,
    device: 'fake',
    software: false,
    details: { threadsCount: typeof threads === 'number' ? threads : 1 },
  });

  const train = async (m: Extract<HostToWorker, { type: 'train' }>): Promise<void> => {
    const { steps, checkpointEvery } = m.config.schedule;
    const stepMs = m.config.name.includes('slow') ? FAKE_SLOW_STEP_MS : FAKE_STEP_MS;
    let k = m.resumeFrom ? stepOf(m.resumeFrom) : 0;
    post({
      type: 'event',
      event: { type: 'started', backend: backend(m.threads), fromStep: k, totalSteps: steps, parameters: 1 },
    });
    while (k < steps) {
      await sleep(stepMs);
      if (now() === 'pause') {
        post({ type: 'checkpoint', step: k, bytes: fakeCheckpoint(k) });
        post({ type: 'event', event: { type: 'paused', step: k } });
        await new Promise<void>((resolve) => (wake = resolve));
        if (now() === 'run') post({ type: 'event', event: { type: 'resumed', step: k } });
      }
      if (now() === 'stop') {
        post({ type: 'checkpoint', step: k, bytes: fakeCheckpoint(k) });
        post({ type: 'event', event: { type: 'ended', outcome: 'stopped', step: k } });
        return;
      }
      k++;
      post({
        type: 'event',
        event: {
          type: 'metrics',
          points: [
            { series: 'train/loss', step: k, value: 1 / k },
            { series: 'perf/examples_per_sec', step: k, value: 1000 },
          ],
        },
      });
      post({
        type: 'event',
        event: {
          type: 'progress',
          step: k,
          totalSteps: steps,
          loss: 1 / k,
          accuracy: null,
          examplesPerSec: 1000,
          etaSec: ((steps - k) * stepMs) / 1000,
        },
      });
      if (checkpointEvery > 0 && k % checkpointEvery === 0 && k < steps) {
        post({ type: 'checkpoint', step: k, bytes: fakeCheckpoint(k) });
      }
    }
    post({ type: 'checkpoint', step: k, bytes: fakeCheckpoint(k) });
    post({ type: 'event', event: { type: 'ended', outcome: 'completed', step: k } });
  };

  const slice = async (m: Extract<HostToWorker, { type: 'slice' }>): Promise<void> => {
    post({ type: 'slice-started', backend: backend(m.threads) });
    const stored = new Set(m.stored.map(([i, j]) => `${i},${j}`));
    const rows = m.settings.dims === 1 ? 1 : m.settings.points;
    for (let i = 0; i < m.settings.points; i++) {
      for (let j = 0; j < rows; j++) {
        if (stored.has(`${i},${j}`)) continue;
        if (now() === 'stop') {
          post({ type: 'slice-ended', outcome: 'stopped' });
          return;
        }
        await sleep(FAKE_STEP_MS);
        post({ type: 'slice-point', i, j, loss: i + j });
      }
    }
    post({ type: 'slice-ended', outcome: 'completed' });
  };

  port.on('message', (m: HostToWorker) => {
    if (m.type === 'train') void train(m);
    else if (m.type === 'slice') void slice(m);
    else if (m.type === 'control') {
      control = m.action === 'resume' ? 'run' : m.action;
      if (m.action !== 'pause') {
        wake?.();
        wake = undefined;
      }
    }
  });
}
