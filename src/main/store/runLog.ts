/**
 * A run's log: what happened to it besides its metrics (backend chosen, paused and resumed, warnings,
 * the error that ended it, recovery after a crash). Shown next to the run; ids increase, so a reader
 * can poll with `afterId`.
 */
import type Database from 'better-sqlite3';
import type { RunLogEntry, RunLogLevel } from '../../shared/runTypes';
import { notFound } from './runs';
import { sqliteCode } from './sqliteErrors';

interface LogRow {
  id: number;
  run_id: string;
  time: number;
  level: RunLogLevel;
  message: string;
  data: string | null;
}

export interface ListLogOptions {
  /** Only entries with a larger id. */
  afterId?: number;
  limit?: number;
}

function prepareStatements(db: Database.Database) {
  return {
    append: db
      .prepare<
        [{ runId: string; time: number; level: RunLogLevel; message: string; data: string | null }],
        number
      >(
        'INSERT INTO run_log (run_id, time, level, message, data) VALUES (@runId, @time, @level, @message, @data) RETURNING id',
      )
      .pluck(),
    list: db.prepare<[string, number, number], LogRow>(
      'SELECT * FROM run_log WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?',
    ),
  };
}

export class RunLogRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Appends an entry; `data` must be JSON-serializable. Returns its id. */
  append(runId: string, level: RunLogLevel, message: string, data?: unknown): number {
    return this.appendEntry(runId, level, message, data).id;
  }

  /** Appends an entry and returns it as stored (for live streams of the log). */
  appendEntry(runId: string, level: RunLogLevel, message: string, data?: unknown): RunLogEntry {
    const time = Date.now();
    const text = data === undefined ? null : JSON.stringify(data);
    try {
      const id = this.sql.append.get({ runId, time, level, message, data: text }) as number;
      return { id, runId, time, level, message, data: text === null ? null : (JSON.parse(text) as unknown) };
    } catch (e) {
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound(runId);
      throw e;
    }
  }

  /** Oldest first. */
  list(runId: string, options: ListLogOptions = {}): RunLogEntry[] {
    return this.sql.list.all(runId, options.afterId ?? 0, options.limit ?? -1).map((r) => ({
      id: r.id,
      runId: r.run_id,
      time: r.time,
      level: r.level,
      message: r.message,
      data: r.data === null ? null : (JSON.parse(r.data) as unknown),
    }));
  }
}
