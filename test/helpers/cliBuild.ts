/**
 * Builds the bundled CLI (`electron-vite build`) when out/main/cli.js is missing or older than the
 * sources it is built from. `npm test` builds before vitest, so this normally does nothing; a lock
 * folder keeps test files that run in parallel from building on top of each other.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BUNDLE, REPO_ROOT } from './repoPaths';
import { waitUntil } from './waitUntil';

/** The sources of the main-process bundle (CLI, worker); the renderer is not part of it. */
const SOURCE_DIRS = ['src/main', 'src/shared'].map((d) => join(REPO_ROOT, d));
/** A lock left by a killed test run is ignored after this long. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function cliIsStale(): boolean {
  if (!existsSync(CLI_BUNDLE)) return true;
  const built = statSync(CLI_BUNDLE).mtimeMs;
  return SOURCE_DIRS.some((dir) => newestMtime(dir) > built);
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    const held = statSync(lock, { throwIfNoEntry: false });
    if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

export async function ensureCliBuilt(): Promise<void> {
  if (!cliIsStale()) return;
  const tag = createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 12);
  const lock = join(tmpdir(), `normlab-e2e-build-${tag}.lock`);
  await waitUntil(() => (tryLock(lock) ? true : undefined), 'the CLI build lock', {
    timeoutMs: 180_000,
    intervalMs: 200,
  });
  try {
    if (!cliIsStale()) return;
    const build = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 170_000 },
    );
    if (build.status !== 0) {
      throw new Error(`electron-vite build failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
