/**
 * The git commit the running NormLab was built from, when it runs from a checkout: the first folder
 * with a `.git` (a folder, or a file for worktrees and submodules) above the given starting points,
 * asked `git rev-parse --short HEAD`. No checkout, no git, or any failure: undefined (an installed
 * NormLab has no commit to report, which is not an error).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder at or above `start` holding `.git`. */
export function findCheckout(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The short HEAD commit of the first checkout found above `starts`, in order. */
export function gitCommit(starts: readonly string[]): string | undefined {
  for (const start of starts) {
    const root = findCheckout(start);
    if (root === undefined) continue;
    try {
      const out = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
      if (/^[0-9a-f]{4,64}$/.test(out)) return out;
    } catch {
      // git missing, or the checkout has no commit yet: try the next starting point.
    }
  }
  return undefined;
}
