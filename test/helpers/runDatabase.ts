/**
 * Read-only looks into a run database while (or after) another process writes it, straight through
 * SQLite: the tests use them to poll a CLI run's progress and to check the file itself, without going
 * through (and so without trusting) NormLab's own store code.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

function withDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export interface RawRunRow {
  status: string;
  lastStep: number | null;
}

/** The run's row as stored, or undefined if the file or the run does not exist (yet). */
export function readRunRow(path: string, runId: string): RawRunRow | undefined {
  if (!existsSync(path)) return undefined;
  return withDb(path, (db) =>
    db.prepare<[string], RawRunRow>('SELECT status, last_step AS lastStep FROM runs WHERE id = ?').get(runId),
  );
}

/** The steps of the run's stored checkpoints, ascending. */
export function checkpointSteps(path: string, runId: string): number[] {
  if (!existsSync(path)) return [];
  return withDb(path, (db) =>
    db
      .prepare<[string], number>('SELECT step FROM checkpoints WHERE run_id = ? ORDER BY step')
      .pluck()
      .all(runId),
  );
}

/** SQLite's own check of the file: ['ok'] when it is consistent. */
export function integrityCheck(path: string): string[] {
  return withDb(
    path,
    (db) => db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[],
  ).map((r) => r.integrity_check);
}

/** Rows that break a foreign key (a point whose series is gone, ...): none in a consistent file. */
export function foreignKeyViolations(path: string): number {
  return withDb(path, (db) => (db.pragma('foreign_key_check') as unknown[]).length);
}
