/**
 * What the compare figures read, and the runs they name: every id must be a stored run.
 */
import { UserError } from '../../../shared/errors';
import type { RunRecord } from '../../../shared/runTypes';
import type { ServiceContext } from '../serviceContext';

/** The part of the service the figure builders use (a whole ServiceContext will do). */
export type FigureContext = Pick<ServiceContext, 'store' | 'dbPath'>;

/** The runs in order, or a not-found UserError naming every unknown id and how to list the runs. */
export function requireRuns(ctx: FigureContext, runIds: readonly string[]): RunRecord[] {
  const runs: RunRecord[] = [];
  const missing: string[] = [];
  for (const id of runIds) {
    const run = ctx.store.getRun(id);
    if (run) runs.push(run);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const which = missing.map((id) => `"${id}"`).join(', ');
    const noun = missing.length > 1 ? 'runs' : 'run';
    throw new UserError('not-found', `no ${noun} ${which} in ${ctx.dbPath}; \`normlab list\` shows the runs`);
  }
  return runs;
}
