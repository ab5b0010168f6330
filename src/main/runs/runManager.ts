/**
 * Orchestrates training runs: a queue with a fixed number of concurrent runs (one by default: runs
 * compete for the same GPU or cores), one engine worker per run, and the bridge from the worker's
 * events to the store (batched point writes, checkpoints, status) and to live listeners.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { ErrorInfo } from '../../shared/errors';
import type { RunEvent, RunOutcome } from '../../shared/events';
import type { Store } from '../store';
import { WorkerHost, type WorkerEntry } from './workerHost';
import type { WorkerToHost } from '../../shared/workerProtocol';

export type RunListener = (event: RunEvent) => void;

export interface RunResult {
  runId: string;
  outcome: RunOutcome;
  step: number;
  divergedAtStep?: number;
  error?: ErrorInfo;
}

export interface ActiveRun {
  readonly runId: string;
  /** Settles when the run has ended and its final state is stored; never rejects. */
  readonly done: Promise<RunResult>;
  pause(): void;
  resume(): void;
  /** Asks the run to stop after the current step; it checkpoints and ends as `stopped`. */
  stop(): void;
}

export interface RunManagerOptions {
  concurrency?: number;
  workerEntry?: WorkerEntry;
  /** Points are written in transactions of up to this many points, or after this delay. */
  flushPoints?: number;
  flushDelayMs?: number;
}

interface Pending {
  start: () => void;
}

export class RunManager {
  private running = 0;
  private readonly queue: Pending[] = [];
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly store: Store,
    private readonly options: RunManagerOptions = {},
  ) {}

  get(runId: string): ActiveRun | undefined {
    return this.active.get(runId);
  }

  /**
   * Starts (or queues) the run `runId`, already created in the store with `config`. With a checkpoint,
   * the run continues from it; points the run logged after the checkpoint are dropped first, since
   * the resumed run logs them again.
   */
  start(
    runId: string,
    config: ExperimentConfig,
    listener: RunListener,
    resumeFrom?: { step: number; bytes: Uint8Array },
  ): ActiveRun {
    let control: ((action: 'pause' | 'resume' | 'stop') => void) | undefined;
    let settle: (r: RunResult) => void = () => undefined;
    const done = new Promise<RunResult>((resolve) => (settle = resolve));
    const pending: Pending = {
      start: () => {
        control = this.launchWorker(runId, config, listener, resumeFrom, (result) => {
          this.release(runId);
          settle(result);
        });
      },
    };
    const run: ActiveRun = {
      runId,
      done,
      pause: () => control?.('pause'),
      resume: () => control?.('resume'),
      stop: () => {
        if (control) return control('stop');
        // Still queued (a started run has its control): it leaves the queue and ends now, rather
        // than when its turn comes.
        const queued = this.queue.indexOf(pending);
        if (queued < 0) return;
        this.queue.splice(queued, 1);
        this.active.delete(runId);
        const step = resumeFrom?.step ?? 0;
        this.store.finish(runId, 'stopped');
        listener({ type: 'ended', outcome: 'stopped', step });
        settle({ runId, outcome: 'stopped', step });
      },
    };
    this.active.set(runId, run);

    if (this.running < (this.options.concurrency ?? 1)) {
      this.running++;
      pending.start();
    } else {
      this.store.setStatus(runId, 'queued');
      this.queue.push(pending);
    }
    return run;
  }

  private release(runId: string): void {
    this.active.delete(runId);
    const next = this.queue.shift();
    if (next) next.start();
    else this.running--;
  }

  private launchWorker(
    runId: string,
    config: ExperimentConfig,
    listener: RunListener,
    resumeFrom: { step: number; bytes: Uint8Array } | undefined,
    onEnd: (result: RunResult) => void,
  ): (action: 'pause' | 'resume' | 'stop') => void {
    const store = this.store;
    if (resumeFrom) store.truncateRunAfter(runId, resumeFrom.step);
    const writer = store.pointWriter(runId, {
      maxPoints: this.options.flushPoints ?? 2000,
      maxDelayMs: this.options.flushDelayMs ?? 1000,
    });
    let lastStep = resumeFrom?.step ?? 0;
    let ended = false;

    const end = (result: Omit<RunResult, 'runId'>): void => {
      if (ended) return;
      ended = true;
      writer.close();
      store.updateLastStep(runId, result.step);
      store.finish(runId, result.outcome, {
        ...(result.error ? { error: result.error.message } : {}),
        ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
      });
      void host.terminate();
      const ev: RunEvent = {
        type: 'ended',
        outcome: result.outcome,
        step: result.step,
        ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
        ...(result.error ? { error: result.error } : {}),
      };
      listener(ev);
      onEnd({ runId, ...result });
    };

    const onMessage = (m: WorkerToHost): void => {
      if (ended) return;
      switch (m.type) {
        case 'event':
          handleEvent(m.event);
          break;
        case 'checkpoint':
          // Points up to the checkpoint are committed before it, so a resume from it loses nothing.
          writer.flush();
          store.saveCheckpoint(runId, m.step, m.bytes, { keep: config.schedule.keepCheckpoints });
          store.updateLastStep(runId, m.step);
          break;
        case 'failed':
          end({ outcome: 'failed', step: lastStep, error: m.error });
          break;
        case 'backends':
          break;
      }
    };

    const handleEvent = (event: RunEvent): void => {
      switch (event.type) {
        case 'started':
          store.markRunning(runId, {
            backend: event.backend.name,
            device: event.backend.device,
            softwareDevice: event.backend.software,
          });
          listener(event);
          break;
        case 'metrics':
          writer.addMany(event.points);
          listener(event);
          break;
        case 'probes':
          store.appendProbeRecords(runId, event.records);
          listener(event);
          break;
        case 'progress':
          lastStep = event.step;
          listener(event);
          break;
        case 'paused':
          writer.flush();
          store.setStatus(runId, 'paused');
          listener(event);
          break;
        case 'resumed':
          store.setStatus(runId, 'running');
          listener(event);
          break;
        case 'ended':
          end({
            outcome: event.outcome,
            step: event.step,
            ...(event.divergedAtStep !== undefined ? { divergedAtStep: event.divergedAtStep } : {}),
            ...(event.error ? { error: event.error } : {}),
          });
          break;
      }
    };

    const host: WorkerHost = new WorkerHost(
      { onMessage, onCrash: (error) => end({ outcome: 'failed', step: lastStep, error }) },
      ...(this.options.workerEntry ? [this.options.workerEntry] : []),
    );
    host.send({ type: 'train', config, ...(resumeFrom ? { resumeFrom: resumeFrom.bytes } : {}) });
    return (action) => host.send({ type: 'control', action });
  }
}
