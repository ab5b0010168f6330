/**
 * `normlab data get cifar10` end to end: from a loopback HTTP server serving a small archive in the
 * official cifar-10-batches-bin layout, into NORMLAB_HOME/data, where `normlab run` then finds it.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../src/shared/runTypes';
import { hasStackTrace, runCli, runCliJson, setArgs } from '../../../helpers/cli';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import { tempDirs } from '../../../helpers/tempDirs';
import {
  TRAIN_RECORDS_PER_FILE,
  buildSmallArchive,
  closedPort,
  serveArchive,
  type ArchiveServer,
} from '../../runs/datasets/archiveServer';

const dirs = tempDirs('cli-data');
let archive: { path: string; md5: string };
let server: ArchiveServer;

beforeAll(async () => {
  await ensureCliBuilt();
  archive = await buildSmallArchive(dirs.make());
  server = await serveArchive(new Uint8Array(readFileSync(archive.path)), 'normal');
});
afterAll(async () => {
  await server.close();
  dirs.cleanup();
});

describe('normlab data get cifar10', () => {
  it('downloads into the data directory, where a run without --data then finds it', async () => {
    const home = dirs.make();
    const folder = join(home, 'data', 'cifar-10-batches-bin');
    const get = await runCli(['data', 'get', 'cifar10', '--url', server.url, '--md5', archive.md5], home);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(`CIFAR-10 is ready in ${folder}\n`);
    expect(readdirSync(folder).sort()).toEqual([
      'batches.meta.txt',
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ]);
    expect(server.ranges).toEqual([undefined]);

    // The archive holds 5 x 3 training images: train on all of them, 5 at a time.
    const run = await runCli(
      [
        ...['run', '--preset', 'vgg-tiny-bn', '--backend', 'wasm'],
        ...setArgs(
          `data.trainLimit=${5 * TRAIN_RECORDS_PER_FILE}`,
          'data.testLimit=4',
          'schedule.batchSize=5',
        ),
        ...setArgs('schedule.steps=2', 'schedule.testMetricsEvery=2'),
      ],
      home,
    );
    expect(run.code, run.stderr).toBe(0);
    const id = /^run ([0-9a-z]{8}) completed 2 steps/m.exec(run.stdout)?.[1];
    expect(id, run.stdout).toBeDefined();
    const show = await runCliJson<{ run: RunRecord<{ data: { dir: string } }> }>(
      ['show', id as string, '--json'],
      home,
    );
    expect(show.run.config.data.dir).toBe(folder);
    expect(show.run.status).toBe('completed');
  });

  it('says it could not reach the host when nothing listens there (exit 2)', async () => {
    const home = dirs.make();
    const port = await closedPort();
    const get = await runCli(
      ['data', 'get', 'cifar10', '--url', `http://127.0.0.1:${port}/x.tar.gz`, '--md5', archive.md5],
      home,
    );
    expect(get.code, get.stderr).toBe(2);
    expect(get.stderr).toMatch(
      new RegExp(`^normlab: Could not reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
    expect(hasStackTrace(get.stderr)).toBe(false);
    expect(existsSync(join(home, 'data', 'cifar-10-batches-bin'))).toBe(false);
  });

  it('refuses a mirror --url without --md5 (exit 2)', async () => {
    const get = await runCli(['data', 'get', 'cifar10', '--url', server.url], dirs.make());
    expect(get.code).toBe(2);
    expect(get.stderr).toMatch(/--url needs --md5/);
    expect(server.ranges).toHaveLength(1);
  });
});
