/**
 * Files the CLI writes for --out: a file-system error becomes one UserError saying why the path
 * cannot be written, and whole files are written atomically (a temporary file in the same folder,
 * renamed over the target), so a failed or interrupted export never leaves half a figure behind.
 */
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../../../shared/errors';

/** What a file-system error code means for a file being written. */
const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

export function cannotWrite(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = (code && WRITE_ERRORS[code]) ?? code ?? (e as Error).message;
  return new UserError('io', `cannot write ${path}: ${why}. Choose another --out file.`);
}

/**
 * Throws the UserError writing `path` would end in, before any work is done: a missing or
 * unwritable folder, or a folder where the file should be.
 */
export function checkWritable(path: string): void {
  const full = resolve(path);
  const target = statSync(full, { throwIfNoEntry: false });
  if (target?.isDirectory()) throw cannotWrite(path, Object.assign(new Error(), { code: 'EISDIR' }));
  const dir = dirname(full);
  const folder = statSync(dir, { throwIfNoEntry: false });
  if (folder === undefined) throw cannotWrite(path, Object.assign(new Error(), { code: 'ENOENT' }));
  if (!folder.isDirectory()) throw cannotWrite(path, Object.assign(new Error(), { code: 'ENOTDIR' }));
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw cannotWrite(path, e);
  }
}

/** Writes `data` to `path` through a temporary file in the same folder and a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const full = resolve(path);
  const temp = join(dirname(full), `.${basename(full)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, full);
  } catch (e) {
    rmSync(temp, { force: true });
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw cannotWrite(path, e);
  }
}
