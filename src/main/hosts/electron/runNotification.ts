/**
 * What the desktop app's OS notification says when a run finishes, fails or diverges: read from the
 * `runs` stream's status changes (the main process subscribes to it like any client).
 */
import type { ApiEvent, RunRow } from '../../../shared/api';

export interface RunNotice {
  runId: string;
  title: string;
  body: string;
}

function metric(value: number | null, digits: number): string | null {
  return value === null || !Number.isFinite(value) ? null : value.toFixed(digits);
}

function completedBody(row: RunRow): string {
  const parts = [`${row.lastStep ?? row.totalSteps} steps`];
  const acc = metric(row.final.testAccuracy === null ? null : row.final.testAccuracy * 100, 1);
  if (acc !== null) parts.push(`test accuracy ${acc}%`);
  const loss = metric(row.final.trainLoss, 4);
  if (loss !== null) parts.push(`train loss ${loss}`);
  return parts.join(', ');
}

/** The notice for an event, or null when the event is not a run ending that way. */
export function runNotice(event: ApiEvent): RunNotice | null {
  if (event.topic !== 'runs' || event.change.kind !== 'status') return null;
  const row = event.change.row;
  if (row === undefined) return null;
  switch (row.status) {
    case 'completed':
      return { runId: row.id, title: `${row.name} finished`, body: completedBody(row) };
    case 'diverged':
      return {
        runId: row.id,
        title: `${row.name} diverged`,
        body: `The loss became NaN or infinite at step ${row.divergedAtStep ?? row.lastStep ?? '?'}.`,
      };
    case 'failed':
      return { runId: row.id, title: `${row.name} failed`, body: row.error ?? 'See the run log.' };
    default:
      return null;
  }
}
