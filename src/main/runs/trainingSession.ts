/**
 * One run's life in an engine worker: starts the worker with the `train` message and turns what it
 * reports into the store's writes (batched points, probe records, checkpoints, status) and into the
 * run's events, log lines and status changes for whoever watches it. The queue (runManager.ts) decides
 * when a session starts; the session decides nothing else.
 */
import type { Threads } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import type { ErrorInfo } from '../../shared/errors';
import type { RunEvent, RunOutcome } from '../../shared/events';
import type { RunLogLevel, RunStatus } from '../../shared/runTypes';
import type { WorkerToHost } from '../../shared/workerProtocol';
import type { Store } from '../store';
import { endedMessage, startedMessage } from './lifecycleMessages';
import { WorkerHost, type WorkerEntry } from './workerHost';

export interface RunResult {
  runId: string;
  outcome: RunOutcome;
  step: number;
  divergedAtStep?: number;
  error?: ErrorInfo;
}

export type RunControl = 'pause' | 'resume' | 'stop';

/** Where a session reports: its events, its status as stored, its log lines. */
export interface SessionSink {
  event(event: RunEvent): void;
  status(status: RunStatus): void;
  log(level: RunLogLevel, message: string, data?: unknown): void;
}

export interface TrainingSessionSpec {
  runId: string;
  config: ExperimentConfig;
  threads?: Threads | undefined;
  /** A checkpoint to continue from; what the run logged after it is dropped first. */
  resumeFrom?: { step: number; bytes: Uint8Array } | undefined;
  workerEntry?: WorkerEntry | undefined;
  flushPoints: number;
  flushDelayMs: number;
}

/** Starts the run's worker; returns how to steer it. `onEnd` is called once, after the final state is stored. */
export function startTrainingSession(
  store: Store,
  spec: TrainingSessionSpec,
  sink: SessionSink,
  onEnd: (result: RunResult) => void,
): (action: RunControl) => void {
  const { runId, config, resumeFrom } = spec;
  if (resumeFrom) store.truncateRunAfter(runId, resumeFrom.step);
  const writer = store.pointWriter(runId, { maxPoints: spec.flushPoints, maxDelayMs: spec.flushDelayMs });
  let lastStep = resumeFrom?.step ?? 0;
  let ended = false;

  const end = (result: Omit<RunResult, 'runId'>): void => {
    if (ended) return;
    ended = true;
    try {
      writer.close();
      store.updateLastStep(runId, result.step);
      store.finish(runId, result.outcome, {
        ...(result.error ? { error: result.error.message } : {}),
        ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
      });
    } catch (e) {
      // The run may have been deleted meanwhile, or the disk filled: the session still ends.
      result = { ...result, outcome: 'failed', error: { code: 'io', message: (e as Error).message } };
    }
    void host.terminate();
    const full: RunResult = { runId, ...result };
    safely(() => sink.log(result.outcome === 'failed' ? 'error' : 'info', endedMessage(full)));
    safely(() => sink.status(result.outcome));
    sink.event({
      type: 'ended',
      outcome: result.outcome,
      step: result.step,
      ...(result.divergedAtStep !== undefined ? { divergedAtStep: result.divergedAtStep } : {}),
      ...(result.error ? { error: result.error } : {}),
    });
    onEnd(full);
  };

  const handleEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'started':
        store.markRunning(runId, {
          backend: event.backend.name,
          device: event.backend.device,
          softwareDevice: event.backend.software,
        });
        sink.status('running');
        sink.log('info', startedMessage(event), { backend: event.backend });
        sink.event(event);
        break;
      case 'metrics':
        writer.addMany(event.points);
        sink.event(event);
        break;
      case 'probes':
        store.appendProbeRecords(runId, event.records);
        sink.event(event);
        break;
      case 'progress':
        lastStep = event.step;
        // Stored with the next batch of points, so the runs table and runs.get see a training run's step.
        writer.setLastStep(event.step);
        sink.event(event);
        break;
      case 'paused':
        writer.flush();
        store.setStatus(runId, 'paused');
        sink.status('paused');
        sink.log('info', `Paused at step ${event.step}.`);
        sink.event(event);
        break;
      case 'resumed':
        store.setStatus(runId, 'running');
        sink.status('running');
        sink.log('info', `Continued at step ${event.step}.`);
        sink.event(event);
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

  const onMessage = (m: WorkerToHost): void => {
    if (ended) return;
    try {
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
        default:
          break;
      }
    } catch (e) {
      // A write that failed (disk full, the run deleted): the run cannot go on being recorded.
      host.send({ type: 'control', action: 'stop' });
      end({ outcome: 'failed', step: lastStep, error: { code: 'io', message: (e as Error).message } });
    }
  };

  const host: WorkerHost = new WorkerHost(
    { onMessage, onCrash: (error) => end({ outcome: 'failed', step: lastStep, error }) },
    ...(spec.workerEntry ? [spec.workerEntry] : []),
  );
  host.send({
    type: 'train',
    config,
    ...(resumeFrom ? { resumeFrom: resumeFrom.bytes } : {}),
    ...(spec.threads !== undefined ? { threads: spec.threads } : {}),
  });
  return (action) => {
    if (!ended) host.send({ type: 'control', action });
  };
}

/** Reporting must never keep a run from ending. */
function safely(f: () => void): void {
  try {
    f();
  } catch {
    // The run's row is gone (deleted while it ended): nothing left to report to.
  }
}
