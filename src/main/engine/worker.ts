/**
 * The worker thread that hosts the engine: the entry the runs layer starts (runs/workerHost.ts) and
 * talks to only through messages (shared/workerProtocol.ts). It receives one command (train, a loss
 * slice, a benchmark, or describe the backends), reports through messages and ends. Errors inside become a `failed` message, so the
 * host marks the run failed and keeps serving.
 */
import { enableProdMode } from '@tensorflow/tfjs-core';
import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../../shared/errors';
import type { HostToWorker, WorkerToHost } from '../../shared/workerProtocol';
import { describeBackends, initBackend } from './backends';
import { preferWasmThreadsFor } from './backends/wasm/wasmThreads';
import { runLossSlice, type SliceOutcome } from './probes/lossSliceJob';
import { createTask } from './tasks/createTask';
import { benchmarkProbeOverhead, benchmarkTraining } from './training/benchmark';
import { benchmarkOps } from './training/opBenchmark';
import { train, type Control } from './training/trainer';

// Production mode: no debug checks, and no console banner from the cpu backend in users' terminals.
enableProdMode();

const port = parentPort;
if (!port) throw new Error('engine/worker.ts must run inside a worker thread');

let control: Control = 'run';
let wake: ((c: Exclude<Control, 'pause'>) => void) | undefined;

function post(message: WorkerToHost, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function runTraining(message: Extract<HostToWorker, { type: 'train' }>): Promise<void> {
  const { config } = message;
  // Before the backend starts: its thread count is fixed then.
  preferWasmThreadsFor(config, message.threads);
  const backend = await initBackend(config.backend);
  const task = createTask(config);
  const result = await train({
    config,
    task,
    backend,
    ...(message.resumeFrom ? { resumeFrom: message.resumeFrom } : {}),
    hooks: {
      // Metrics carry the moment they leave the engine, for the live view's latency benchmark.
      emit: (event) =>
        post({
          type: 'event',
          event: event.type === 'metrics' ? { ...event, emittedAt: Date.now() } : event,
        }),
      saveCheckpoint: (step, bytes) =>
        post({ type: 'checkpoint', step, bytes }, [bytes.buffer as ArrayBuffer]),
      control: () => control,
      waitForResume: () =>
        new Promise((resolve) => {
          wake = resolve;
        }),
    },
  });
  post({
    type: 'event',
    event: {
      type: 'ended',
      outcome: result.outcome,
      step: result.step,
      ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
    },
  });
}

async function runBench(message: Extract<HostToWorker, { type: 'bench' }>): Promise<void> {
  const { specs, probeSpecs = [] } = message;
  preferWasmThreadsFor(undefined, message.threads);
  const backend = await initBackend(message.backend);
  for (const spec of specs) post({ type: 'bench', backend, result: await benchmarkTraining(spec) });
  for (const spec of probeSpecs) {
    post({ type: 'probe-bench', backend, result: await benchmarkProbeOverhead(spec) });
  }
}

async function runOpBench(message: Extract<HostToWorker, { type: 'op-bench' }>): Promise<void> {
  preferWasmThreadsFor(undefined, message.threads);
  const backend = await initBackend(message.backend);
  for (const spec of message.specs) {
    await benchmarkOps(spec, undefined, (timing) => post({ type: 'op-timing', backend, timing }));
  }
}

async function runSlice(message: Extract<HostToWorker, { type: 'slice' }>): Promise<SliceOutcome> {
  const { config, settings } = message;
  preferWasmThreadsFor(config, message.threads);
  const backend = await initBackend(config.backend);
  post({ type: 'slice-started', backend });
  const stored = new Set(message.stored.map(([i, j]) => `${i},${j}`));
  return runLossSlice(
    { config, task: createTask(config), checkpoint: message.checkpoint, settings },
    async (i, j, loss) => {
      post({ type: 'slice-point', i, j, loss });
      // Let a stop request in.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    (i, j) => stored.has(`${i},${j}`),
    () => control === 'stop',
  );
}

port.on('message', (message: HostToWorker) => {
  switch (message.type) {
    case 'train':
      runTraining(message).catch((e: unknown) => post({ type: 'failed', error: toErrorInfo(e) }));
      break;
    case 'describe-backends':
      preferWasmThreadsFor(undefined, message.threads);
      describeBackends()
        .then((reports) => post({ type: 'backends', reports }))
        .catch((e: unknown) => post({ type: 'failed', error: toErrorInfo(e) }));
      break;
    case 'bench':
      runBench(message)
        .then(() => post({ type: 'event', event: { type: 'ended', outcome: 'completed', step: 0 } }))
        .catch((e: unknown) => post({ type: 'failed', error: toErrorInfo(e) }));
      break;
    case 'op-bench':
      runOpBench(message)
        .then(() => post({ type: 'event', event: { type: 'ended', outcome: 'completed', step: 0 } }))
        .catch((e: unknown) => post({ type: 'failed', error: toErrorInfo(e) }));
      break;
    case 'slice':
      runSlice(message)
        .then((outcome) => post({ type: 'slice-ended', outcome }))
        .catch((e: unknown) => post({ type: 'failed', error: toErrorInfo(e) }));
      break;
    case 'control':
      if (message.action === 'resume') {
        control = 'run';
        wake?.('run');
        wake = undefined;
      } else if (message.action === 'stop') {
        control = 'stop';
        wake?.('stop');
        wake = undefined;
      } else {
        control = 'pause';
      }
      break;
  }
});
