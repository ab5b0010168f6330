/**
 * Opens (or creates) the run database and sets up the connection.
 *
 * - WAL journal: readers (chart reads, `normlab list` in another process) never block the writer that
 *   persists a running training's metrics, and the writer never blocks them.
 * - synchronous=NORMAL: in WAL mode a commit is then not fsynced, only each checkpoint is. An
 *   application crash loses nothing committed; a power cut may lose the last commits but never
 *   corrupts the file. Metrics are cheap to lose, fsyncs per batch are not.
 * - foreign_keys=ON: deleting a run cascades to its series, points, checkpoints and log.
 * - busy_timeout: a second process (CLI next to the app) waits for the write lock instead of failing.
 * - auto_vacuum=INCREMENTAL (new files only): checkpoints are large blobs; the space of a deleted run
 *   can be given back to the file system (see Store.deleteRun).
 * - journal_size_limit: a checkpoint blob passes through the WAL; afterwards the WAL file is truncated
 *   back to this size instead of staying as large as the largest transaction.
 *
 * Nothing is written before the file is known to be a NormLab database (or a new one) of a schema
 * this build can read, so a wrong path never damages the file it points at.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../../shared/errors';
import { assertCompatible, migrate } from './migrations';
import { toStoreError } from './sqliteErrors';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const SQLITE_HEADER = 'SQLite format 3\0';

export interface OpenDatabaseOptions {
  busyTimeoutMs?: number;
}

/** Opens `path` (':memory:' for a private in-memory database), migrated to the current schema. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const memory = path === ':memory:';
  const file = memory ? path : resolve(path);
  if (!memory) preparePath(file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
  } catch (e) {
    throw toStoreError(e, file);
  }
  try {
    const state = assertCompatible(db, file);
    configure(db, file, state.empty, busyTimeoutMs);
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw toStoreError(e, file);
  }
}

function configure(db: Database.Database, file: string, fresh: boolean, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // Only takes effect before the first table exists.
  if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && !db.memory) {
    throw new UserError(
      'io',
      `Could not switch ${file} to write-ahead logging (got journal mode '${String(mode)}'); the folder may be on a ` +
        'network file system. Choose a database file on a local disk (--db).',
    );
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
}

/** Checks the path before SQLite sees it, and creates its folder. */
function preparePath(file: string): void {
  const stat = statOrUndefined(file);
  if (stat?.isDirectory()) {
    throw new UserError(
      'io',
      `${file} is a folder, not a database file. Give a file path, e.g. ${join(file, 'normlab.sqlite')}.`,
    );
  }
  const dir = dirname(file);
  makeDirs(dir);
  try {
    // WAL mode creates the -wal and -shm files next to the database.
    accessSync(dir, constants.W_OK);
    if (stat) accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new UserError(
      'io',
      `Cannot write ${stat ? file : `to the folder ${dir}`}. Check its permissions, or choose another database file (--db).`,
    );
  }
  if (stat && stat.size > 0 && !hasSqliteHeader(file)) {
    throw new UserError(
      'io',
      `${file} is not an SQLite database; NormLab left it unchanged. Move it aside or choose another database file (--db).`,
    );
  }
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor (recursive mkdirSync can spin
 * forever on some virtual file systems).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  let stat = statOrUndefined(d);
  while (!stat) {
    missing.push(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
    stat = statOrUndefined(d);
  }
  if (stat && !stat.isDirectory()) {
    throw new UserError(
      'io',
      `Cannot create the folder ${dir}: ${d} is a file. Choose another database file (--db).`,
    );
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new UserError(
        'io',
        `Cannot create the folder ${m} (${code ?? 'error'}). Check the permissions above it, or choose another database file (--db).`,
      );
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SQLITE_HEADER.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return n === buf.length && buf.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}
