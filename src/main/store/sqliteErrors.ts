/**
 * SQLite failures a user can cause or fix (wrong file, permissions, full disk, another process holding
 * the lock) become UserErrors that say what to do; anything else is a bug and passes through unchanged.
 */
import Database from 'better-sqlite3';
import { UserError } from '../../shared/errors';

export function sqliteCode(e: unknown): string | undefined {
  return e instanceof Database.SqliteError ? e.code : undefined;
}

export function toStoreError(e: unknown, path: string): unknown {
  const code = sqliteCode(e);
  if (!code) return e;
  const base = code.replace(/^(SQLITE_[A-Z]+).*$/, '$1');
  switch (base) {
    case 'SQLITE_NOTADB':
      return new UserError(
        'io',
        `${path} is not an SQLite database; NormLab left it unchanged. Move it aside or choose another database file (--db).`,
      );
    case 'SQLITE_CORRUPT':
      return new UserError(
        'io',
        `The database ${path} is damaged. Restore a backup, or move it aside so NormLab starts a new one.`,
      );
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_READONLY':
    case 'SQLITE_AUTH':
      return new UserError(
        'io',
        `Cannot open ${path} for writing. Check the permissions of the file and its folder, or choose another database file (--db).`,
      );
    case 'SQLITE_FULL':
      return new UserError('io', `The disk holding ${path} is full. Free some space and try again.`);
    case 'SQLITE_IOERR':
      return new UserError(
        'io',
        `Reading or writing ${path} failed (${code}). Check the disk, or choose another database file (--db).`,
      );
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new UserError(
        'io',
        `Another process keeps ${path} locked. Wait for it to finish (or close it) and try again.`,
      );
    default:
      return e;
  }
}
