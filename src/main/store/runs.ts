/**
 * The runs table: one row per run, its config (verbatim JSON, so the run can be reproduced or resumed
 * from the row alone), its lifecycle status and where it ran.
 */
import type Database from 'better-sqlite3';
import type { ExperimentConfig } from '../../shared/config';
import { UserError } from '../../shared/errors';
import type { FinishedRunStatus, RunListFilter, RunRecord, RunStatus } from '../../shared/runTypes';
import { FINISHED_RUN_STATUSES, LIVE_RUN_STATUSES } from '../../shared/runTypes';
import { currentOwner, orphanedRows } from './processOwner';
import { newRunId } from './runId';
import { sqliteCode } from './sqliteErrors';

export interface CreateRunMeta {
  /** Defaults to config.name. */
  name?: string;
  parentId?: string;
  resumedFromStep?: number;
  sweepId?: string;
}

/** The backend and device a run actually trains on. */
export interface RunningInfo {
  backend: string;
  device: string;
  softwareDevice: boolean;
}

export interface FinishInfo {
  error?: string;
  divergedAtStep?: number;
}

/** A running/paused run and the process recorded as running it. */
export interface OrphanedRun {
  id: string;
  pid: number | null;
  host: string | null;
}

/** Statuses `setStatus` may set; the finished ones go through `finish`. */
export type UnfinishedRunStatus = Exclude<RunStatus, FinishedRunStatus>;

export interface RunRow {
  id: string;
  name: string;
  config: string;
  status: RunStatus;
  backend: string | null;
  device: string | null;
  software_device: number | null;
  seed: number;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  last_step: number | null;
  error: string | null;
  diverged_at_step: number | null;
  parent_id: string | null;
  resumed_from_step: number | null;
  sweep_id: string | null;
  owner_pid: number | null;
  owner_host: string | null;
}

const FINISHED_SQL = FINISHED_RUN_STATUSES.map((s) => `'${s}'`).join(', ');
const LIVE_SQL = LIVE_RUN_STATUSES.map((s) => `'${s}'`).join(', ');

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO runs (id, name, config, status, seed, created_at, parent_id, resumed_from_step, sweep_id)
       VALUES (@id, @name, @config, 'queued', @seed, @createdAt, @parentId, @resumedFromStep, @sweepId)`,
    ),
    running: db.prepare(
      `UPDATE runs SET status = 'running', backend = @backend, device = @device, software_device = @software,
         started_at = coalesce(started_at, @now), ended_at = NULL, error = NULL, diverged_at_step = NULL,
         owner_pid = @pid, owner_host = @host
       WHERE id = @id`,
    ),
    status: db.prepare(
      'UPDATE runs SET status = @status, owner_pid = @pid, owner_host = @host WHERE id = @id',
    ),
    finished: db.prepare(
      `UPDATE runs SET status = @status, ended_at = @now, error = @error, diverged_at_step = @divergedAtStep,
         owner_pid = NULL, owner_host = NULL
       WHERE id = @id AND status NOT IN (${FINISHED_SQL})`,
    ),
    lastStep: db.prepare('UPDATE runs SET last_step = ? WHERE id = ?'),
    byId: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    exists: db.prepare<[string], number>('SELECT 1 FROM runs WHERE id = ?').pluck(),
    list: db.prepare<[ListParams], RunRow>(
      `SELECT * FROM runs
       WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
         AND (@sweepId IS NULL OR sweep_id = @sweepId)
         AND (@parentId IS NULL OR parent_id = @parentId)
       ORDER BY created_at DESC, rowid DESC
       LIMIT @limit OFFSET @offset`,
    ),
    remove: db.prepare('DELETE FROM runs WHERE id = ?'),
    live: db.prepare<[], Pick<RunRow, 'id' | 'owner_pid' | 'owner_host'>>(
      `SELECT id, owner_pid, owner_host FROM runs WHERE status IN (${LIVE_SQL})`,
    ),
    interrupt: db.prepare(
      `UPDATE runs SET status = 'interrupted', owner_pid = NULL, owner_host = NULL
       WHERE id = @id AND status IN (${LIVE_SQL}) AND owner_pid IS @pid AND owner_host IS @host`,
    ),
  };
}

interface ListParams {
  statuses: string | null;
  sweepId: string | null;
  parentId: string | null;
  limit: number;
  offset: number;
}

export class RunsRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Adds a `queued` run and returns its id. */
  create(config: ExperimentConfig, meta: CreateRunMeta = {}): string {
    for (let attempt = 0; ; attempt++) {
      const id = newRunId();
      try {
        this.sql.insert.run({
          id,
          name: meta.name ?? config.name,
          config: JSON.stringify(config),
          seed: config.seed,
          createdAt: Date.now(),
          parentId: meta.parentId ?? null,
          resumedFromStep: meta.resumedFromStep ?? null,
          sweepId: meta.sweepId ?? null,
        });
        return id;
      } catch (e) {
        const code = sqliteCode(e);
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && attempt < 5) continue;
        if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound(meta.parentId ?? '');
        throw e;
      }
    }
  }

  markRunning(id: string, info: RunningInfo): void {
    const { pid, host } = currentOwner();
    const r = this.sql.running.run({
      id,
      backend: info.backend,
      device: info.device,
      software: info.softwareDevice ? 1 : 0,
      now: Date.now(),
      pid,
      host,
    });
    if (r.changes === 0) throw notFound(id);
  }

  /** Sets a not-finished status; `running` and `paused` record this process as the run's owner. */
  setStatus(id: string, status: UnfinishedRunStatus): void {
    const owned = (LIVE_RUN_STATUSES as readonly RunStatus[]).includes(status);
    const owner = owned ? currentOwner() : { pid: null, host: null };
    const r = this.sql.status.run({ id, status, ...owner });
    if (r.changes === 0) throw notFound(id);
  }

  /**
   * Ends a run. Applies only once: a run already finished keeps its status (a late `stop` cannot
   * overwrite `completed`), and the result says whether this call changed it.
   */
  finish(id: string, status: FinishedRunStatus, info: FinishInfo = {}): boolean {
    const r = this.sql.finished.run({
      id,
      status,
      now: Date.now(),
      error: info.error ?? null,
      divergedAtStep: info.divergedAtStep ?? null,
    });
    if (r.changes > 0) return true;
    this.require(id);
    return false;
  }

  updateLastStep(id: string, step: number): void {
    if (this.sql.lastStep.run(step, id).changes === 0) throw notFound(id);
  }

  get(id: string): RunRecord | undefined {
    const row = this.sql.byId.get(id);
    return row && toRecord(row);
  }

  /** Throws a not-found UserError unless the run exists. */
  require(id: string): void {
    if (this.sql.exists.get(id) === undefined) throw notFound(id);
  }

  /** Newest first. */
  list(filter: RunListFilter = {}): RunRecord[] {
    const statuses = filter.status === undefined ? null : [filter.status].flat();
    return this.sql.list
      .all({
        statuses: statuses && JSON.stringify(statuses),
        sweepId: filter.sweepId ?? null,
        parentId: filter.parentId ?? null,
        limit: filter.limit ?? -1,
        offset: filter.offset ?? 0,
      })
      .map(toRecord);
  }

  /** Deletes the run with its series, points, checkpoints and log; false if there was none. */
  delete(id: string): boolean {
    return this.sql.remove.run(id).changes > 0;
  }

  /**
   * The running/paused runs whose owning process is gone (processOwner.ts); `force` also takes those
   * of other live processes (never this one's). Read-only: opening the file takes no write lock
   * unless there is something to recover.
   */
  findOrphaned(options: { force?: boolean } = {}): OrphanedRun[] {
    return orphanedRows(this.sql.live.all(), options);
  }

  /**
   * Marks the run `interrupted` if it is still running or paused under the owner it was found with
   * (not, say, resumed by another process since); true if it was.
   */
  interrupt(run: OrphanedRun): boolean {
    return this.sql.interrupt.run(run).changes > 0;
  }
}

export function notFound(id: string): UserError {
  return new UserError('not-found', `No run with id '${id}'. List the runs with \`normlab list\`.`);
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config) as unknown,
    status: row.status,
    backend: row.backend,
    device: row.device,
    softwareDevice: row.software_device === null ? null : row.software_device === 1,
    seed: row.seed,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    lastStep: row.last_step,
    error: row.error,
    divergedAtStep: row.diverged_at_step,
    parentId: row.parent_id,
    resumedFromStep: row.resumed_from_step,
    sweepId: row.sweep_id,
  };
}
