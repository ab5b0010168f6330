/**
 * Training checkpoints, stored as blobs next to the run they belong to: saving one and pruning the
 * old ones is a single transaction (a crash never leaves a run without its latest checkpoint), and
 * deleting the run deletes them. A run keeps its `keep` newest checkpoints by step
 * (config.schedule.keepCheckpoints).
 */
import type Database from 'better-sqlite3';
import type { CheckpointInfo } from '../../shared/runTypes';

export interface Checkpoint extends CheckpointInfo {
  bytes: Uint8Array;
  /** JSON stored with the checkpoint (e.g. its format version), or null. */
  meta: unknown;
}

export interface SaveCheckpointOptions {
  /** How many checkpoints the run keeps, newest by step; default 3. */
  keep?: number;
  meta?: unknown;
}

export const DEFAULT_KEEP_CHECKPOINTS = 3;

interface CheckpointRow {
  step: number;
  created_at: number;
  size: number;
  meta: string | null;
  bytes: Buffer;
}

function prepareStatements(db: Database.Database) {
  return {
    save: db.prepare(
      `INSERT OR REPLACE INTO checkpoints (run_id, step, created_at, size, meta, bytes)
       VALUES (@runId, @step, @now, @size, @meta, @bytes)`,
    ),
    prune: db.prepare(
      `DELETE FROM checkpoints WHERE run_id = @runId AND step NOT IN
         (SELECT step FROM checkpoints WHERE run_id = @runId ORDER BY step DESC LIMIT @keep)`,
    ),
    latest: db.prepare<[string], CheckpointRow>(
      'SELECT step, created_at, size, meta, bytes FROM checkpoints WHERE run_id = ? ORDER BY step DESC LIMIT 1',
    ),
    atStep: db.prepare<[string, number], CheckpointRow>(
      'SELECT step, created_at, size, meta, bytes FROM checkpoints WHERE run_id = ? AND step = ?',
    ),
    list: db.prepare<[string], Omit<CheckpointRow, 'bytes' | 'meta'>>(
      'SELECT step, created_at, size FROM checkpoints WHERE run_id = ? ORDER BY step',
    ),
    truncate: db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step > ?'),
  };
}

export class CheckpointsRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Saves (or replaces) the checkpoint at `step` and drops the oldest beyond `keep`. Call in a transaction. */
  save(runId: string, step: number, bytes: Uint8Array, options: SaveCheckpointOptions = {}): void {
    const keep = options.keep ?? DEFAULT_KEEP_CHECKPOINTS;
    if (!Number.isSafeInteger(keep) || keep < 1)
      throw new RangeError(`keep must be a positive integer, got ${keep}`);
    if (!Number.isSafeInteger(step)) throw new RangeError(`checkpoint step must be an integer, got ${step}`);
    this.sql.save.run({
      runId,
      step,
      now: Date.now(),
      size: bytes.byteLength,
      meta: options.meta === undefined ? null : JSON.stringify(options.meta),
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
    this.sql.prune.run({ runId, keep });
  }

  latest(runId: string): Checkpoint | undefined {
    const row = this.sql.latest.get(runId);
    return row && toCheckpoint(row);
  }

  at(runId: string, step: number): Checkpoint | undefined {
    const row = this.sql.atStep.get(runId, step);
    return row && toCheckpoint(row);
  }

  /** Without their bytes, oldest first. */
  list(runId: string): CheckpointInfo[] {
    return this.sql.list.all(runId).map((r) => ({ step: r.step, createdAt: r.created_at, size: r.size }));
  }

  /** Deletes the run's checkpoints after `step` (call inside a transaction). */
  truncateAfter(runId: string, step: number): number {
    return this.sql.truncate.run(runId, step).changes;
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    step: row.step,
    createdAt: row.created_at,
    size: row.size,
    meta: row.meta === null ? null : (JSON.parse(row.meta) as unknown),
    bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
  };
}
