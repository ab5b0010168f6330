/**
 * The runs table: one row per run, its config (verbatim JSON, so the run can be reproduced or resumed
 * from the row alone), its lifecycle status, where it ran, and the process that owns it while it is
 * queued, running or paused (processOwner.ts).
 */
import type Database from 'better-sqlite3';
import type { ExperimentConfig } from '../../shared/config';
import { UserError } from '../../shared/errors';
import type { FinishedRunStatus, RunListFilter, RunRecord, RunStatus } from '../../shared/runTypes';
import { FINISHED_RUN_STATUSES, LIVE_RUN_STATUSES } from '../../shared/runTypes';
import { ADOPTING_KINDS, currentOwner, orphanedRows, type OwnerKind } from './processOwner';
import { newRunId } from './runId';
import { sqliteCode } from './sqliteErrors';

export interface CreateRunMeta {
  /** Defaults to config.name. */
  name?: string;
  parentId?: string;
  resumedFromStep?: number;
  sweepId?: string;
  tags?: readonly string[];
  notes?: string;
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

/** A queued, running or paused run and the process recorded as owning it. */
export interface OrphanedRun {
  id: string;
  pid: number | null;
  host: string | null;
  status: RunStatus;
  kind: OwnerKind | null;
}

/** Statuses `setStatus` may set; the finished ones go through `finish`. */
export type UnfinishedRunStatus = Exclude<RunStatus, FinishedRunStatus>;

/** The owner of a live run as stored. */
export interface RunOwner {
  pid: number | null;
  host: string | null;
  kind: OwnerKind | null;
}

export interface RunDbRow {
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
  owner_kind: OwnerKind | null;
  notes: string;
}

interface LiveRow {
  id: string;
  status: RunStatus;
  owner_pid: number | null;
  owner_host: string | null;
  owner_kind: OwnerKind | null;
}

const FINISHED_SQL = FINISHED_RUN_STATUSES.map((s) => `'${s}'`).join(', ');
const LIVE_SQL = LIVE_RUN_STATUSES.map((s) => `'${s}'`).join(', ');
/** The stored columns (SELECT * would also compute the virtual config columns). */
const COLUMNS = `id, name, config, status, backend, device, software_device, seed, created_at, started_at,
  ended_at, last_step, error, diverged_at_step, parent_id, resumed_from_step, sweep_id, owner_pid,
  owner_host, owner_kind, notes`;

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO runs (id, name, config, status, seed, created_at, parent_id, resumed_from_step, sweep_id,
         notes, owner_pid, owner_host, owner_kind)
       VALUES (@id, @name, @config, 'queued', @seed, @createdAt, @parentId, @resumedFromStep, @sweepId,
         @notes, @pid, @host, @kind)`,
    ),
    running: db.prepare(
      `UPDATE runs SET status = 'running', backend = @backend, device = @device, software_device = @software,
         started_at = coalesce(started_at, @now), ended_at = NULL, error = NULL, diverged_at_step = NULL,
         owner_pid = @pid, owner_host = @host, owner_kind = @kind
       WHERE id = @id`,
    ),
    status: db.prepare(
      `UPDATE runs SET status = @status, owner_pid = @pid, owner_host = @host, owner_kind = @kind
       WHERE id = @id`,
    ),
    finished: db.prepare(
      `UPDATE runs SET status = @status, ended_at = @now, error = @error, diverged_at_step = @divergedAtStep,
         owner_pid = NULL, owner_host = NULL, owner_kind = NULL
       WHERE id = @id AND status NOT IN (${FINISHED_SQL})`,
    ),
    lastStep: db.prepare('UPDATE runs SET last_step = ? WHERE id = ?'),
    byId: db.prepare<[string], RunDbRow>(`SELECT ${COLUMNS} FROM runs WHERE id = ?`),
    exists: db.prepare<[string], number>('SELECT 1 FROM runs WHERE id = ?').pluck(),
    list: db.prepare<[ListParams], RunDbRow>(
      `SELECT ${COLUMNS} FROM runs
       WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
         AND (@sweepId IS NULL OR sweep_id = @sweepId)
         AND (@parentId IS NULL OR parent_id = @parentId)
       ORDER BY created_at DESC, rowid DESC
       LIMIT @limit OFFSET @offset`,
    ),
    remove: db.prepare('DELETE FROM runs WHERE id = ?'),
    live: db.prepare<[], LiveRow>(
      `SELECT id, status, owner_pid, owner_host, owner_kind FROM runs WHERE status IN (${LIVE_SQL})
       ORDER BY created_at, rowid`,
    ),
    interrupt: db.prepare(
      `UPDATE runs SET status = 'interrupted', owner_pid = NULL, owner_host = NULL, owner_kind = NULL
       WHERE id = @id AND status IN (${LIVE_SQL}) AND owner_pid IS @pid AND owner_host IS @host`,
    ),
    claim: db.prepare(
      `UPDATE runs SET owner_pid = @selfPid, owner_host = @selfHost, owner_kind = @kind
       WHERE id = @id AND status = @status AND owner_pid IS @pid AND owner_host IS @host`,
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

  /** `kind`: what this process is, recorded with every run it owns. */
  constructor(
    db: Database.Database,
    private readonly kind: OwnerKind = 'cli',
  ) {
    this.sql = prepareStatements(db);
  }

  /** Adds a `queued` run owned by this process and returns its id. */
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
          notes: meta.notes ?? '',
          ...this.owner(),
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
    const r = this.sql.running.run({
      id,
      backend: info.backend,
      device: info.device,
      software: info.softwareDevice ? 1 : 0,
      now: Date.now(),
      ...this.owner(),
    });
    if (r.changes === 0) throw notFound(id);
  }

  /** Sets a not-finished status; `queued`, `running` and `paused` record this process as the run's owner. */
  setStatus(id: string, status: UnfinishedRunStatus): void {
    const owned = (LIVE_RUN_STATUSES as readonly RunStatus[]).includes(status);
    const owner = owned ? this.owner() : { pid: null, host: null, kind: null };
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

  /** Who owns the run while it is live (all null otherwise); undefined if there is no such run. */
  ownerOf(id: string): RunOwner | undefined {
    const row = this.sql.byId.get(id);
    return row && { pid: row.owner_pid, host: row.owner_host, kind: row.owner_kind };
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

  /** Deletes the run with its series, points, checkpoints, tags and log; false if there was none. */
  delete(id: string): boolean {
    return this.sql.remove.run(id).changes > 0;
  }

  /**
   * The queued, running or paused runs whose owning process is gone (processOwner.ts), oldest first;
   * `force` also takes those of other live processes (never this one's). Read-only: opening the file
   * takes no write lock unless there is something to recover.
   */
  findOrphaned(options: { force?: boolean } = {}): OrphanedRun[] {
    return orphanedRows(this.sql.live.all(), options).map(({ id, pid, host, row }) => ({
      id,
      pid,
      host,
      status: row.status,
      kind: row.owner_kind,
    }));
  }

  /**
   * Whether recovery marks an orphaned run interrupted: always, except a queued run of a dead app or
   * serve, which waits for the next app or serve to adopt it (claim) into its queue.
   */
  static interruptsOnRecovery(run: OrphanedRun): boolean {
    return !(run.status === 'queued' && run.kind !== null && ADOPTING_KINDS.includes(run.kind));
  }

  /**
   * Marks the run `interrupted` if it is still live under the owner it was found with (not, say,
   * resumed by another process since); true if it was.
   */
  interrupt(run: OrphanedRun): boolean {
    return this.sql.interrupt.run({ id: run.id, pid: run.pid, host: run.host }).changes > 0;
  }

  /**
   * Makes this process the owner of an orphaned run, if it is still in the status and under the owner
   * it was found with (another process may have claimed or recovered it since); true if it did.
   */
  claim(run: OrphanedRun): boolean {
    const self = this.owner();
    return (
      this.sql.claim.run({
        id: run.id,
        status: run.status,
        pid: run.pid,
        host: run.host,
        selfPid: self.pid,
        selfHost: self.host,
        kind: self.kind,
      }).changes > 0
    );
  }

  private owner(): { pid: number; host: string; kind: OwnerKind } {
    return { ...currentOwner(), kind: this.kind };
  }
}

export function notFound(id: string): UserError {
  return new UserError('not-found', `No run with id '${id}'. List the runs with \`normlab list\`.`);
}

export function toRecord(row: RunDbRow): RunRecord {
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
