/**
 * The one owner of a run's lifecycle in a process: a queue in front of a pool of `poolSize` training
 * slots (one by default: runs compete for the same GPU or cores), one engine worker per run
 * (trainingSession.ts), and every status change of a run, stored and reported to the observer with a
 * line in the run's log. Runs started from any host (a window, a browser, the CLI) wait their turn in
 * the order they were queued.
 */
import type { Threads } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import { UserError } from '../../shared/errors';
import type { RunEvent } from '../../shared/events';
import type { RunLogEntry, RunLogLevel, RunStatus } from '../../shared/runTypes';
import { isFinishedStatus } from '../../shared/runTypes';
import type { Store } from '../store';
import { queuedMessage } from './lifecycleMessages';
import { startTrainingSession, type RunControl, type RunResult, type SessionSink } from './trainingSession';
import type { WorkerEntry } from './workerHost';

export type { RunResult };
export type RunListener = (event: RunEvent) => void;

/** Told of every run of the manager: engine events, status changes (as stored) and log lines. */
export interface RunObserver {
  event?(runId: string, event: RunEvent): void;
  status?(runId: string, status: RunStatus): void;
  log?(entry: RunLogEntry): void;
}

export interface ActiveRun {
  readonly runId: string;
  /** Settles when the run has ended and its final state is stored; never rejects. */
  readonly done: Promise<RunResult>;
  pause(): void;
  resume(): void;
  /** Asks the run to stop after the current step; it checkpoints and ends as `stopped`. A queued run leaves the queue. */
  stop(): void;
}

export interface RunManagerOptions {
  /** Runs trained at once (the pool's size); default 1. */
  concurrency?: number;
  workerEntry?: WorkerEntry;
  /** Points are written in transactions of up to this many points, or after this delay. */
  flushPoints?: number;
  flushDelayMs?: number;
  observer?: RunObserver;
}

export interface StartOptions {
  /** Told of this run's events (besides the observer). */
  listener?: RunListener | undefined;
  /** wasm threads, carried to the worker in its `train` message. */
  threads?: Threads | undefined;
}

interface Entry {
  runId: string;
  config: ExperimentConfig;
  options: StartOptions;
  resumeFrom: { step: number; bytes: Uint8Array } | undefined;
  /** Set once the run has a worker (its slot in the pool). */
  control: ((action: RunControl) => void) | undefined;
  settle: (r: RunResult) => void;
  handle: ActiveRun;
}

export class RunManager {
  private poolSize: number;
  private readonly queue: Entry[] = [];
  private readonly training = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly options: RunManagerOptions = {},
  ) {
    this.poolSize = options.concurrency ?? 1;
  }

  /** The run, if it is queued or training in this process. */
  get(runId: string): ActiveRun | undefined {
    return (this.training.get(runId) ?? this.queue.find((e) => e.runId === runId))?.handle;
  }

  /** The pool: its size, the runs that hold a slot, the runs waiting in order. */
  snapshot(): { poolSize: number; running: string[]; queued: string[] } {
    return {
      poolSize: this.poolSize,
      running: [...this.training.keys()],
      queued: this.queue.map((e) => e.runId),
    };
  }

  /** Every run queued or training in this process. */
  activeRunIds(): string[] {
    return [...this.training.keys(), ...this.queue.map((e) => e.runId)];
  }

  /** Resizes the pool; queued runs start at once if there is room now. */
  setPoolSize(size: number): void {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`pool size must be a positive integer, got ${size}`);
    this.poolSize = size;
    this.fill();
  }

  /** Queues a run just created in the store (status `queued`, owned by this process). */
  start(runId: string, config: ExperimentConfig, options: StartOptions = {}): ActiveRun {
    return this.enqueue(runId, config, options, undefined);
  }

  /**
   * Queues a stopped, interrupted, failed (or diverged) run to continue from its latest checkpoint; a
   * run that never reached a step starts over. A live run whose owning process is gone is recovered
   * first, whatever its status: a `resume` killed while queued leaves the run resumable.
   */
  resume(runId: string, config: ExperimentConfig, options: StartOptions = {}): ActiveRun {
    this.checkOpen();
    const run = this.store.getRun(runId);
    if (!run)
      throw new UserError(
        'not-found',
        `no run "${runId}" in ${this.store.path}; \`normlab list\` shows the runs`,
      );
    if (run.status === 'completed')
      throw new UserError('usage', `run ${runId} already completed all its steps`);
    if (this.get(runId))
      throw new UserError('usage', `run ${runId} is already ${run.status} in this process`);
    if (!isFinishedStatus(run.status) && run.status !== 'interrupted') {
      if (this.store.ownedElsewhere(runId)) {
        const owner = this.store.getRunOwner(runId);
        throw new UserError(
          'usage',
          `run ${runId} is ${run.status} in another process (pid ${owner?.pid ?? '?'}${owner?.kind ? `, normlab ${owner.kind}` : ''}); stop it there first`,
        );
      }
      this.store.recoverRun(runId);
    }
    const resumeFrom = this.resumePoint(runId, run.lastStep);
    this.store.setStatus(runId, 'queued');
    this.report(runId, 'queued');
    return this.enqueue(runId, config, options, resumeFrom);
  }

  /**
   * Queues a run this process has just adopted (a queued run of an app or serve that ended): from its
   * latest checkpoint if it has one, else from the start.
   */
  adopt(runId: string, config: ExperimentConfig, options: StartOptions = {}): ActiveRun {
    const ckpt = this.store.getLatestCheckpoint(runId);
    return this.enqueue(runId, config, options, ckpt && { step: ckpt.step, bytes: ckpt.bytes });
  }

  /** Ends a queued run that cannot run (its stored config no longer valid), saying why. */
  reject(runId: string, error: UserError): void {
    this.store.finish(runId, 'failed', { error: error.message });
    this.log(runId, 'error', `Failed before it started: ${error.message}`);
    this.report(runId, 'failed');
  }

  /**
   * Stops every training run (each checkpoints and ends `stopped`, resumable) and waits for them. Runs
   * still waiting stay queued in the database, owned by this process: the next app or serve adopts
   * them (a CLI's become interrupted, resumable). Nothing starts afterwards.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.queue.splice(0);
    const training = [...this.training.values()];
    for (const e of training) e.handle.stop();
    await Promise.all(training.map((e) => e.handle.done));
  }

  private resumePoint(
    runId: string,
    lastStep: number | null,
  ): { step: number; bytes: Uint8Array } | undefined {
    const ckpt = this.store.getLatestCheckpoint(runId);
    if (ckpt) return { step: ckpt.step, bytes: ckpt.bytes };
    if (lastStep === null || lastStep === 0) return undefined;
    throw new UserError(
      'checkpoint',
      `run ${runId} has no checkpoint to resume from; start it again with \`normlab run --config\` (its config is in \`normlab show ${runId} --json\`)`,
    );
  }

  private enqueue(
    runId: string,
    config: ExperimentConfig,
    options: StartOptions,
    resumeFrom: Entry['resumeFrom'],
  ): ActiveRun {
    this.checkOpen();
    let settle: (r: RunResult) => void = () => undefined;
    const done = new Promise<RunResult>((resolve) => (settle = resolve));
    const entry: Entry = {
      runId,
      config,
      options,
      resumeFrom,
      control: undefined,
      settle,
      handle: {
        runId,
        done,
        pause: () => entry.control?.('pause'),
        resume: () => entry.control?.('resume'),
        stop: () => (entry.control ? entry.control('stop') : this.dequeue(entry)),
      },
    };
    // Ahead of it: the runs waiting before it, and one training run per slot it must wait for.
    const ahead = Math.max(0, this.queue.length + this.training.size - this.poolSize + 1);
    this.log(runId, 'info', queuedMessage(ahead, resumeFrom?.step));
    this.queue.push(entry);
    this.fill();
    return entry.handle;
  }

  /** Starts queued runs, oldest first, while the pool has room. */
  private fill(): void {
    while (!this.closed && this.queue.length > 0 && this.training.size < this.poolSize) {
      const entry = this.queue.shift() as Entry;
      this.launch(entry);
    }
  }

  /** A queued run leaves the queue and ends `stopped` now, rather than when its turn comes. */
  private dequeue(entry: Entry): void {
    const k = this.queue.indexOf(entry);
    if (k < 0) return;
    this.queue.splice(k, 1);
    const step = entry.resumeFrom?.step ?? this.store.getRun(entry.runId)?.lastStep ?? 0;
    this.store.finish(entry.runId, 'stopped');
    this.log(entry.runId, 'info', 'Stopped while queued.');
    this.report(entry.runId, 'stopped');
    this.emit(entry, { type: 'ended', outcome: 'stopped', step });
    entry.settle({ runId: entry.runId, outcome: 'stopped', step });
  }

  private launch(entry: Entry): void {
    this.training.set(entry.runId, entry);
    const sink: SessionSink = {
      event: (e) => this.emit(entry, e),
      status: (s) => this.report(entry.runId, s),
      log: (level, message, data) => this.log(entry.runId, level, message, data),
    };
    const finished = (result: RunResult): void => {
      this.training.delete(entry.runId);
      entry.settle(result);
      this.fill();
    };
    try {
      entry.control = startTrainingSession(
        this.store,
        {
          runId: entry.runId,
          config: entry.config,
          threads: entry.options.threads,
          resumeFrom: entry.resumeFrom,
          workerEntry: this.options.workerEntry,
          flushPoints: this.options.flushPoints ?? 2000,
          flushDelayMs: this.options.flushDelayMs ?? 1000,
        },
        sink,
        finished,
      );
    } catch (e) {
      // The run could not even start (its row deleted, the worker script missing).
      const message = (e as Error).message;
      this.training.delete(entry.runId);
      try {
        this.store.finish(entry.runId, 'failed', { error: message });
        this.report(entry.runId, 'failed');
      } catch {
        // Its row is gone.
      }
      const error = { code: 'internal' as const, message };
      this.emit(entry, { type: 'ended', outcome: 'failed', step: 0, error });
      entry.settle({ runId: entry.runId, outcome: 'failed', step: 0, error });
      this.fill();
    }
  }

  private emit(entry: Entry, event: RunEvent): void {
    entry.options.listener?.(event);
    this.options.observer?.event?.(entry.runId, event);
  }

  private report(runId: string, status: RunStatus): void {
    this.options.observer?.status?.(runId, status);
  }

  private log(runId: string, level: RunLogLevel, message: string, data?: unknown): void {
    const entry = this.store.appendLogEntry(runId, level, message, data);
    this.options.observer?.log?.(entry);
  }

  private checkOpen(): void {
    if (this.closed)
      throw new UserError('usage', 'NormLab is shutting down; start the run again after it restarts');
  }
}
