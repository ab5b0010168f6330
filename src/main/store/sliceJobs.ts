/**
 * Loss-slice jobs (shared/slices.ts): L(w + alpha_i d1 (+ beta_j d2)) over a grid at one checkpoint
 * of a run. The job row keeps the settings (grid and direction seeds) verbatim, so the job can be
 * resumed from the row alone; every grid point (i, j) is stored as it is computed, so a stopped job
 * skips the points it has. Losses keep NaN and +-Infinity (a diverging point is a result) with the
 * (value, nf) encoding of nonFinite.ts.
 */
import type Database from 'better-sqlite3';
import { UserError } from '../../shared/errors';
import type { SliceJob, SlicePoint, SliceSettings, SliceStatus } from '../../shared/slices';
import { sliceAxis, sliceTotal } from '../../shared/slices';
import { decodeValue, encodeValue } from './nonFinite';
import { currentOwner, orphanedRows } from './processOwner';
import { newRunId } from './runId';
import { notFound } from './runs';
import { sqliteCode } from './sqliteErrors';

/** One computed grid point: alpha index i, beta index j (0 for a curve) and L there. */
export interface SlicePointInput {
  i: number;
  j: number;
  loss: number;
}

/** A running slice job and the process recorded as computing it. */
export interface OrphanedSliceJob {
  id: string;
  pid: number | null;
  host: string | null;
}

interface JobRow {
  id: string;
  run_id: string;
  step: number;
  settings: string;
  status: SliceStatus;
  created_at: number;
  updated_at: number;
  error: string | null;
  done: number;
}

interface PointRow {
  i: number;
  j: number;
  loss: number | null;
  nf: number;
}

interface StatusParams {
  id: string;
  status: SliceStatus;
  error: string | null;
  pid: number | null;
  host: string | null;
  now: number;
}

const JOB_COLUMNS = `id, run_id, step, settings, status, created_at, updated_at, error,
  (SELECT count(*) FROM slice_points WHERE job_id = slice_jobs.id) AS done`;

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<[{ id: string; runId: string; step: number; settings: string; now: number }]>(
      `INSERT INTO slice_jobs (id, run_id, step, settings, status, created_at, updated_at)
       VALUES (@id, @runId, @step, @settings, 'queued', @now, @now)`,
    ),
    byId: db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM slice_jobs WHERE id = ?`),
    settings: db.prepare<[string], string>('SELECT settings FROM slice_jobs WHERE id = ?').pluck(),
    list: db.prepare<[string], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM slice_jobs WHERE run_id = ? ORDER BY created_at, rowid`,
    ),
    status: db.prepare<[StatusParams]>(
      `UPDATE slice_jobs SET status = @status, error = @error, owner_pid = @pid, owner_host = @host,
         updated_at = @now
       WHERE id = @id`,
    ),
    touch: db.prepare<[number, string]>('UPDATE slice_jobs SET updated_at = ? WHERE id = ?'),
    upsertPoint: db.prepare<[string, number, number, number | null, number]>(
      'INSERT OR REPLACE INTO slice_points (job_id, i, j, loss, nf) VALUES (?, ?, ?, ?, ?)',
    ),
    points: db.prepare<[string], PointRow>(
      'SELECT i, j, loss, nf FROM slice_points WHERE job_id = ? ORDER BY i, j',
    ),
    running: db.prepare<[], { id: string; owner_pid: number | null; owner_host: string | null }>(
      "SELECT id, owner_pid, owner_host FROM slice_jobs WHERE status = 'running'",
    ),
    stop: db.prepare<[OrphanedSliceJob & { now: number }]>(
      `UPDATE slice_jobs SET status = 'stopped', owner_pid = NULL, owner_host = NULL, updated_at = @now
       WHERE id = @id AND status = 'running' AND owner_pid IS @pid AND owner_host IS @host`,
    ),
  };
}

export class SliceJobsRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Adds a `queued` job on the run's checkpoint at `step`; returns its id (a run-style id, runId.ts). */
  create(runId: string, step: number, settings: SliceSettings): string {
    for (let attempt = 0; ; attempt++) {
      const id = newRunId();
      try {
        this.sql.insert.run({ id, runId, step, settings: JSON.stringify(settings), now: Date.now() });
        return id;
      } catch (e) {
        const code = sqliteCode(e);
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && attempt < 5) continue;
        if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound(runId);
        throw e;
      }
    }
  }

  get(id: string): SliceJob | undefined {
    const row = this.sql.byId.get(id);
    return row && toJob(row);
  }

  /** Oldest first. */
  list(runId: string): SliceJob[] {
    return this.sql.list.all(runId).map(toJob);
  }

  /**
   * Sets the status and error (null unless given: a restarted job forgets its old error). The owner
   * is `ownerPid` on this host if given, else this process for `running` and nobody otherwise.
   */
  setStatus(id: string, status: SliceStatus, error: string | null = null, ownerPid?: number | null): void {
    const pid = ownerPid === undefined ? (status === 'running' ? process.pid : null) : ownerPid;
    const host = pid === null ? null : currentOwner().host;
    const r = this.sql.status.run({ id, status, error, pid, host, now: Date.now() });
    if (r.changes === 0) throw sliceJobNotFound(id);
  }

  /**
   * Stores the points (a point computed again replaces the old one) and bumps updated_at, in one
   * transaction. Indices outside the job's grid are a caller bug and throw.
   */
  appendPoints(id: string, points: readonly SlicePointInput[]): void {
    const enc: [number | null, number] = [null, 0];
    this.db
      .transaction(() => {
        const settings = this.settings(id);
        const size = settings.points;
        const rows = settings.dims === 1 ? 1 : size;
        for (const p of points) {
          if (!isIndex(p.i, size) || !isIndex(p.j, rows)) {
            throw new Error(
              `appendSlicePoints: point (${p.i}, ${p.j}) is outside job ${id}'s ${size} x ${rows} grid`,
            );
          }
          encodeValue(p.loss, enc);
          this.sql.upsertPoint.run(id, p.i, p.j, enc[0], enc[1]);
        }
        this.sql.touch.run(Date.now(), id);
      })
      .immediate();
  }

  /**
   * The stored points in evaluateSlice's order (i, the alpha index, outer; j inner), with
   * alpha = sliceAxis(settings)[i] and beta = sliceAxis(settings)[j] (0 for a curve).
   */
  readPoints(id: string): SlicePoint[] {
    const settings = this.settings(id);
    const axis = sliceAxis(settings);
    return this.sql.points.all(id).map((r) => ({
      i: r.i,
      j: r.j,
      alpha: axis[r.i] as number,
      beta: settings.dims === 1 ? 0 : (axis[r.j] as number),
      loss: decodeValue(r.loss, r.nf),
    }));
  }

  /**
   * The running jobs whose owning process is gone (processOwner.ts); `force` also takes those of
   * other live processes (never this one's). Read-only, like RunsRepo.findOrphaned.
   */
  findOrphaned(options: { force?: boolean } = {}): OrphanedSliceJob[] {
    return orphanedRows(this.sql.running.all(), options).map(({ id, pid, host }) => ({ id, pid, host }));
  }

  /**
   * Marks the job `stopped` (resumable: its points stay) if it is still running under the owner it
   * was found with; true if it was.
   */
  stopOrphan(job: OrphanedSliceJob): boolean {
    return this.sql.stop.run({ ...job, now: Date.now() }).changes > 0;
  }

  private settings(id: string): SliceSettings {
    const text = this.sql.settings.get(id);
    if (text === undefined) throw sliceJobNotFound(id);
    return JSON.parse(text) as SliceSettings;
  }
}

export function sliceJobNotFound(id: string): UserError {
  return new UserError(
    'not-found',
    `No loss-slice job with id '${id}'. Check the id against the run's list of loss slices.`,
  );
}

function isIndex(k: number, size: number): boolean {
  return Number.isInteger(k) && k >= 0 && k < size;
}

function toJob(row: JobRow): SliceJob {
  const settings = JSON.parse(row.settings) as SliceSettings;
  return {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    settings,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    error: row.error,
    done: row.done,
    total: sliceTotal(settings),
  };
}
