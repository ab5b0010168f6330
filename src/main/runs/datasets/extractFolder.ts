/**
 * Unpacks one top-level folder of a .tar.gz archive into `parentDir` atomically: the archive is
 * extracted into a fresh staging folder beside the target (same file system), checked, and only then
 * renamed into place, so an interrupted extraction never leaves a half-written target behind.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { UserError } from '../../../shared/errors';

/**
 * Extracts `archive` and moves its `folder` to `<parentDir>/<folder>`, replacing what was there.
 * `check` runs on the staged folder before the rename and throws to reject it. Returns the target path.
 */
export async function extractFolderAtomically(
  archive: string,
  parentDir: string,
  folder: string,
  check: (stagedFolder: string) => void,
): Promise<string> {
  const target = join(parentDir, folder);
  const staging = await mkdtemp(join(parentDir, `.${folder}.extract-`));
  try {
    try {
      await tar.x({ file: archive, cwd: staging, strict: true });
    } catch (e) {
      throw new UserError(
        'data-malformed',
        `Could not unpack ${archive} (${e instanceof Error ? e.message : String(e)}). Delete it and download it again.`,
      );
    }
    const staged = join(staging, folder);
    if (!existsSync(staged)) {
      throw new UserError(
        'data-malformed',
        `${archive} has no ${folder} folder; it is not the expected archive.`,
      );
    }
    check(staged);
    await rm(target, { recursive: true, force: true });
    await rename(staged, target);
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
