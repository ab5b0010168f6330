/**
 * Writing files a user asked for (an exported figure, a report): a file-system error in words, and
 * whole files written atomically (a temporary file in the same folder, renamed over the target), so
 * a failed or interrupted write never leaves half a file where a whole one stood.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { UserError } from '../../shared/errors';

/** What a file-system error code means for a file or folder being written. */
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EEXIST: 'a part of its path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/** A write error in words: the code's meaning, else the code, else the message. */
export function writeErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? WRITE_ERRORS[code] : undefined) ?? code ?? (e as Error).message;
}

/**
 * Writes `data` to `path` through a temporary file in the same folder and a rename. A file-system
 * error becomes `toUserError(path, error)`; anything else is rethrown as it is.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  toUserError: (path: string, e: unknown) => UserError,
): void {
  const full = resolve(path);
  const temp = join(dirname(full), `.${basename(full)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, full);
  } catch (e) {
    rmSync(temp, { force: true });
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw toUserError(path, e);
  }
}
