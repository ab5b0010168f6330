/** The lines a run's log gets as its lifecycle moves on (queued, started, ended). */
import type { RunEvent } from '../../shared/events';
import type { RunResult } from './trainingSession';

type Started = Extract<RunEvent, { type: 'started' }>;

export function queuedMessage(ahead: number, resumeStep: number | undefined): string {
  const what =
    resumeStep === undefined ? 'Queued' : `Queued to resume from the checkpoint at step ${resumeStep}`;
  return ahead === 0 ? `${what}.` : `${what}; ${ahead} run(s) ahead of it.`;
}

export function startedMessage(e: Started): string {
  const threads = e.backend.details['threadsCount'];
  const backend = typeof threads === 'number' ? `${e.backend.name} (${threads} thread(s))` : e.backend.name;
  const software = e.backend.software ? ', a software device (slow)' : '';
  const from = e.fromStep > 0 ? `from step ${e.fromStep} ` : '';
  return (
    `Training ${e.parameters.toLocaleString('en-US')} parameters on ${backend}, ${e.backend.device}${software}, ` +
    `${from}to step ${e.totalSteps}.`
  );
}

export function endedMessage(r: RunResult): string {
  switch (r.outcome) {
    case 'completed':
      return `Completed at step ${r.step}.`;
    case 'stopped':
      return `Stopped at step ${r.step}; resume it from its latest checkpoint.`;
    case 'diverged':
      return `Diverged at step ${r.divergedAtStep ?? r.step}: the loss became non-finite.`;
    case 'failed':
      return `Failed at step ${r.step}: ${r.error?.message ?? 'unknown error'}`;
  }
}
