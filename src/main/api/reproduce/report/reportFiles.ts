/**
 * The report's folder on disk: created with its parents before any figure is drawn (so a folder that
 * cannot be written fails at once, as a UserError naming it), and each file written atomically (a
 * temporary file beside it, renamed over it), so a report interrupted half-way never leaves a
 * truncated figure or page where a whole one stood.
 */
import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../../../../shared/errors';

/** File-system error codes, in words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'a folder stands where a file of the report goes',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

function reportIoError(path: string, why: string): UserError {
  return new UserError(
    'io',
    `cannot write the reproduction report to ${path}: ${why}. Choose another folder for the report.`,
  );
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? REASONS[code] : undefined) ?? code ?? (e as Error).message;
}

/** Creates `outDir` (and its parents) and `subdirs` in it; returns it absolute. */
export function prepareReportDir(outDir: string, subdirs: readonly string[]): string {
  const dir = resolve(outDir);
  const existing = statSync(dir, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isDirectory()) {
    throw reportIoError(dir, 'it is a file, not a folder');
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const sub of subdirs) mkdirSync(join(dir, sub), { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw reportIoError(dir, reason(e));
  }
  return dir;
}

/** Writes `data` to `dir/relPath` through a temporary file in the same folder and a rename. */
export function writeReportFile(dir: string, relPath: string, data: string | Uint8Array): void {
  const full = join(dir, relPath);
  const temp = join(dirname(full), `.${relPath.replace(/[\\/]/g, '_')}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, full);
  } catch (e) {
    rmSync(temp, { force: true });
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw reportIoError(full, reason(e));
  }
}
