/**
 * The report's folder on disk: created with its parents before any figure is drawn (so a folder that
 * cannot be written fails at once, as a UserError naming it), and each file written atomically (a
 * temporary file beside it, renamed over it), so a report interrupted half-way never leaves a
 * truncated figure or page where a whole one stood.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../../../shared/errors';
import { writeErrorReason, writeFileAtomic } from '../../fileWrites';

function reportIoError(path: string, why: string): UserError {
  return new UserError(
    'io',
    `cannot write the reproduction report to ${path}: ${why}. Choose another folder for the report.`,
  );
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
    throw reportIoError(dir, writeErrorReason(e));
  }
  return dir;
}

/** Writes `data` to `dir/relPath` atomically (fileWrites.ts). */
export function writeReportFile(dir: string, relPath: string, data: string | Uint8Array): void {
  writeFileAtomic(join(dir, relPath), data, (path, e) => reportIoError(path, writeErrorReason(e)));
}
