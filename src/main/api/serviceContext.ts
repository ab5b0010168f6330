/**
 * What every group of handlers works over: the store, the run manager (the queue and pool), the event
 * hub, where things are, the settings, and the live loss slices of this process. One per service.
 */
import type { RunRow, Settings } from '../../shared/api';
import { UserError } from '../../shared/errors';
import type { RunRecord } from '../../shared/runTypes';
import type { RunManager } from '../runs/runManager';
import type { ActiveSlice } from '../runs/sliceRunner';
import type { WorkerEntry } from '../runs/workerHost';
import type { Store } from '../store';
import type { BackendReports } from './backendReports';
import type { DatasetPlaces } from './cifar10Location';
import type { EventHub } from './eventHub';
import type { Locations } from './locations';

export interface ServiceContext {
  readonly host: 'electron' | 'serve' | 'cli';
  readonly store: Store;
  readonly runs: RunManager;
  readonly hub: EventHub;
  readonly locations: Locations;
  readonly dbPath: string;
  readonly places: DatasetPlaces;
  readonly backends: BackendReports;
  /** Loss slices computing in this process, by job id. */
  readonly slices: Map<string, ActiveSlice>;
  /** The engine worker script runs and slices start (tests give a stand-in); default the engine's. */
  readonly workerEntry?: WorkerEntry | undefined;
  settings(): Settings;
}

/** The run, or a not-found UserError naming the database and how to list the runs. */
export function requireRun(ctx: ServiceContext, runId: string): RunRecord {
  const run = ctx.store.getRun(runId);
  if (!run)
    throw new UserError('not-found', `no run "${runId}" in ${ctx.dbPath}; \`normlab list\` shows the runs`);
  return run;
}

export function requireRow(ctx: ServiceContext, runId: string): RunRow {
  const row = ctx.store.getRunRow(runId);
  if (!row)
    throw new UserError('not-found', `no run "${runId}" in ${ctx.dbPath}; \`normlab list\` shows the runs`);
  return row;
}

/** Tells the `runs` stream that a run was created, changed status or was edited (with its row now). */
export function publishRunChange(
  ctx: ServiceContext,
  kind: 'created' | 'status' | 'updated',
  runId: string,
): void {
  const row = ctx.store.getRunRow(runId);
  if (row) ctx.hub.publish({ topic: 'runs', change: { kind, runId, row } });
}
