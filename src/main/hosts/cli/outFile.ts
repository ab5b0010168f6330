/**
 * Files the CLI writes for --out: a file-system error becomes one UserError saying why the path
 * cannot be written, and whole files are written atomically (a temporary file in the same folder,
 * renamed over the target), so a failed or interrupted export never leaves half a figure behind.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../../shared/errors';
import { writeErrorReason, writeFileAtomic as writeAtomic } from '../../api/fileWrites';

export function cannotWrite(path: string, e: unknown): UserError {
  return new UserError('io', `cannot write ${path}: ${writeErrorReason(e)}. Choose another --out file.`);
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

/** Writes `data` to `path` atomically; a file-system error is cannotWrite's UserError. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeAtomic(path, data, cannotWrite);
}
