/**
 * Follows runs in the terminal: their `run` streams to a progress view each, until each ends, then a
 * one-line report. Ctrl-C stops the runs being followed (each checkpoints, resumable); a second
 * Ctrl-C quits at once (the runs are then found interrupted, still resumable).
 */
import type { ApiEvent } from '../../../shared/api';
import type { RunEvent } from '../../../shared/events';
import type { CliSession } from './cliSession';
import { ProgressView } from './progressView';

export type RunEnd = Extract<RunEvent, { type: 'ended' }> & { runId: string };

/** The engine events of the runs subscribed to, kept per run until their follower reads them. */
export class RunStreams {
  private readonly buffered = new Map<string, RunEvent[]>();
  private readonly readers = new Map<string, (e: RunEvent) => void>();
  private readonly stop: () => void;

  constructor(private readonly cli: CliSession) {
    this.stop = cli.onEvent((e: ApiEvent) => {
      if (e.topic !== 'run' || e.event.type === 'log' || e.event.type === 'status') return;
      const reader = this.readers.get(e.runId);
      if (reader) reader(e.event);
      else this.buffered.set(e.runId, [...(this.buffered.get(e.runId) ?? []), e.event]);
    });
  }

  async watch(runIds: readonly string[]): Promise<void> {
    for (const key of runIds) await this.cli.subscribe({ topic: 'run', key });
  }

  /** Shows the run's progress until it ends; resolves with how it ended. */
  async follow(runId: string): Promise<RunEnd> {
    const detail = await this.cli.call('runs.get', { runId });
    const view = new ProgressView(process.stderr, detail.row.dataset === 'cifar10' ? 'img' : 'ex');
    process.stderr.write(`run ${runId} (database ${this.cli.service.dbPath})\n`);
    try {
      return await new Promise<RunEnd>((resolve) => {
        const read = (e: RunEvent): void => {
          view.onEvent(e);
          if (e.type === 'ended') resolve({ ...e, runId });
        };
        this.readers.set(runId, read);
        for (const e of this.buffered.get(runId) ?? []) read(e);
        this.buffered.delete(runId);
      });
    } finally {
      this.readers.delete(runId);
      view.close();
    }
  }

  close(): void {
    this.stop();
  }
}

/**
 * Runs `body` with Ctrl-C bound: the first stops `runIds()` (after their current step), the second
 * quits now with exit code 130.
 */
export async function withInterrupts<T>(
  cli: CliSession,
  runIds: () => readonly string[],
  body: () => Promise<T>,
): Promise<T> {
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    const ids = runIds();
    if (interrupts === 1) {
      process.stderr.write('\nstopping after this step (Ctrl-C again to quit now)...\n');
      for (const runId of ids) void cli.call('runs.stop', { runId }).catch(() => undefined);
    } else {
      process.stderr.write(`quitting; resume later with \`normlab resume ${ids[0] ?? 'RUN'}\`\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  try {
    return await body();
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The run's outcome on stdout (stderr for a failure), with its last loss and test accuracy; sets the exit code. */
export async function reportRun(cli: CliSession, end: RunEnd): Promise<void> {
  const { runId } = end;
  const { series } = await cli.call('runs.get', { runId });
  const last = (name: string): number | undefined => series.find((s) => s.name === name)?.last ?? undefined;
  const parts: string[] = [];
  const loss = last('train/loss');
  const testAcc = last('test/accuracy');
  if (loss !== undefined) parts.push(`train loss ${loss.toPrecision(4)}`);
  if (testAcc !== undefined) parts.push(`test accuracy ${(100 * testAcc).toFixed(1)}%`);
  const summary = parts.length ? ` (${parts.join(', ')})` : '';
  switch (end.outcome) {
    case 'completed':
      process.stdout.write(`run ${runId} completed ${end.step} steps${summary}\n`);
      break;
    case 'stopped':
      process.stdout.write(
        `run ${runId} stopped at step ${end.step}; continue with \`normlab resume ${runId}\`\n`,
      );
      break;
    case 'diverged':
      process.stdout.write(
        `run ${runId} diverged at step ${end.divergedAtStep ?? end.step}: the loss became non-finite${summary}\n`,
      );
      process.exitCode = 1;
      break;
    case 'failed':
      process.stderr.write(`run ${runId} failed: ${end.error?.message ?? 'unknown error'}\n`);
      process.exitCode = 1;
      break;
  }
}
