/**
 * The defects found by trying the CLI as a new user, end to end with the built `normlab`: a process
 * killed while its run is queued, `export --out` to a path that cannot be written, a dataset folder
 * that is wrong in each way the worker used to find too late; and the run table's tags and search.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRow } from '../../../../src/shared/api';
import {
  announcedRunId,
  hasStackTrace,
  homeDb,
  runCli,
  runCliJson,
  setArgs,
  startCli,
  type CliResult,
} from '../../../helpers/cli';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import { brokenCifar10Folders } from '../../../helpers/cifar10Folders';
import { readRunRow } from '../../../helpers/runDatabase';
import { tempDirs } from '../../../helpers/tempDirs';
import { waitUntil } from '../../../helpers/waitUntil';

const dirs = tempDirs('cli-defects');
let home: string;
let runId: string;

const DLN = ['run', '--preset', 'dln25-bn', '--backend', 'wasm'];

function expectUserError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^normlab: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
}

beforeAll(async () => {
  await ensureCliBuilt();
  home = dirs.make();
  const r = await runCli([...DLN, ...setArgs('schedule.steps=3')], home);
  expect(r.code, r.stderr).toBe(0);
  runId = announcedRunId(r.stderr) as string;
});
afterAll(() => dirs.cleanup());

describe('a process killed while its run is queued', () => {
  it('leaves the run interrupted, not queued forever, and resume completes it', async () => {
    const own = dirs.make();
    const proc = startCli([...DLN, ...setArgs('schedule.steps=30', 'schedule.checkpointEvery=10')], own);
    // The id is announced once the run is queued; its worker is still starting then.
    const id = await waitUntil(() => announcedRunId(proc.stderr()), 'the run id');
    proc.child.kill('SIGKILL');
    await proc.exited;
    expect(readRunRow(homeDb(own), id)?.status).toBe('queued');

    const runs = await runCliJson<RunRow[]>(['list', '--json'], own);
    expect(runs.find((r) => r.id === id)?.status).toBe('interrupted');
    const resumed = await runCli(['resume', id], own);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^run ${id} completed 30 steps`, 'm'));
  }, 120_000);
});

describe('export --out to a path that cannot be written', () => {
  it('is one line that says why, exit 2', async () => {
    const dir = dirs.make();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const cases: [string, RegExp][] = [
      [join(dir, 'missing', 'x.csv'), /its folder does not exist/],
      [dir, /it is a folder/],
      [join(file, 'x.csv'), /a part of its path is a file, not a folder/],
    ];
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'read-only');
      mkdirSync(ro, { mode: 0o555 });
      cases.push([join(ro, 'x.csv'), /permission denied/]);
    }
    for (const [out, why] of cases) {
      const r = await runCli(['export', runId, '--format', 'csv', '--out', out], home);
      expectUserError(r, new RegExp(`cannot write ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toMatch(/Choose another --out file\.$/m);
    }
  });
});

describe('a dataset folder that is wrong', () => {
  it('is refused before the run is created: exit 2, nothing stored', async () => {
    const own = dirs.make();
    for (const [what, { dir, error }] of Object.entries(brokenCifar10Folders(dirs.make()))) {
      const r = await runCli(['run', '--preset', 'vgg-tiny-bn', '--data', dir], own);
      expect(r.stderr, what).toMatch(error);
      expectUserError(r, /normlab data get cifar10|Download it again/);
    }
    expect(await runCliJson<RunRow[]>(['list', '--json'], own)).toEqual([]);
  });
});

describe('tags, notes and search', () => {
  it("tag sets a run's tags and notes; list --tag and --search find it", async () => {
    const tagged = await runCli(['tag', runId, 'baseline', 'paper', '--notes', 'first look'], home);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(tagged.stdout).toBe(`run ${runId} tags: baseline, paper\n`);
    const byTag = await runCliJson<RunRow[]>(['list', '--json', '--tag', 'paper'], home);
    expect(byTag.map((r) => [r.id, r.tags, r.notes])).toEqual([[runId, ['baseline', 'paper'], 'first look']]);
    expect(await runCliJson<RunRow[]>(['list', '--json', '--tag', 'nope'], home)).toEqual([]);
    expect(
      (await runCliJson<RunRow[]>(['list', '--json', '--search', 'first look'], home)).map((r) => r.id),
    ).toEqual([runId]);
    const table = await runCli(['list', '--tag', 'baseline'], home);
    expect(table.stdout).toMatch(
      new RegExp(
        `^${runId}\\s+completed\\s+3/3\\s+dln25\\s+batch\\s+wasm .* baseline,paper\\s+dln25-bn$`,
        'm',
      ),
    );
  });
});
