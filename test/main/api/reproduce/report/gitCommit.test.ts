import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCheckout, gitCommit } from '../../../../../src/main/api/reproduce/report/gitCommit';
import { tempDirs } from '../../../../helpers/tempDirs';

const dirs = tempDirs('git-commit');
afterAll(() => dirs.cleanup());

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

describe('the commit NormLab runs from', () => {
  it('is the short HEAD of the nearest checkout above the starting folder', () => {
    const repo = dirs.make();
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'a.txt'), 'a');
    git(repo, 'add', 'a.txt');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'first');
    const deep = join(repo, 'src', 'main');
    mkdirSync(deep, { recursive: true });
    expect(findCheckout(deep)).toBe(repo);
    expect(gitCommit([deep])).toBe(git(repo, 'rev-parse', '--short', 'HEAD'));
  });

  it('is absent outside a checkout, and for a checkout with no commit yet, without an error', () => {
    const plain = dirs.make();
    if (findCheckout(plain) === undefined) expect(gitCommit([plain])).toBeUndefined();
    const empty = dirs.make();
    git(empty, 'init', '-q');
    expect(findCheckout(empty)).toBe(empty);
    expect(gitCommit([empty])).toBeUndefined();
  });

  it('tries the next starting point when the first has none', () => {
    const empty = dirs.make();
    git(empty, 'init', '-q');
    const repo = dirs.make();
    git(repo, 'init', '-q');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x');
    expect(gitCommit([empty, repo])).toBe(git(repo, 'rev-parse', '--short', 'HEAD'));
  });
});
