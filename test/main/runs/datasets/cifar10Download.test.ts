import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/shared/errors';
import { readCifar10 } from '../../../../src/main/engine/data/cifar10Reader';
import { downloadCifar10 } from '../../../../src/main/runs/datasets/cifar10Download';
import {
  TEST_RECORDS,
  TRAIN_RECORDS_PER_FILE,
  buildSmallArchive,
  closedPort,
  makeTempDir,
  serveArchive,
} from './archiveServer';
import type { ArchiveServer, ServerMode } from './archiveServer';

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('downloadCifar10 against a loopback server', () => {
  const fixtures = makeTempDir('cifar-archive');
  let archive: { path: string; md5: string };
  let body: Uint8Array;
  const servers: ArchiveServer[] = [];
  const dirs: string[] = [fixtures];

  const serve = async (mode: ServerMode): Promise<ArchiveServer> => {
    const server = await serveArchive(body, mode);
    servers.push(server);
    return server;
  };
  const dataDir = (): string => {
    const dir = makeTempDir('cifar-data');
    dirs.push(dir);
    return dir;
  };
  const expectUnpacked = (folder: string, dir: string): void => {
    expect(folder).toBe(join(dir, 'cifar-10-batches-bin'));
    const data = readCifar10(folder);
    expect(data.train.count).toBe(5 * TRAIN_RECORDS_PER_FILE);
    expect(data.test.count).toBe(TEST_RECORDS);
    // No staging folder, no archive, no part file left behind.
    expect(readdirSync(dir).sort()).toEqual(['cifar-10-batches-bin', 'downloads']);
    expect(readdirSync(join(dir, 'downloads'))).toEqual([]);
  };

  beforeAll(async () => {
    archive = await buildSmallArchive(fixtures);
    body = new Uint8Array(readFileSync(archive.path));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('downloads, verifies, unpacks, reports progress, and is a no-op the second time', async () => {
    const server = await serve('normal');
    const dir = dataDir();
    const progress: [number, number | undefined][] = [];
    const folder = await downloadCifar10({
      dataDir: dir,
      url: server.url,
      md5: archive.md5,
      expectedRecords: { train: 5 * TRAIN_RECORDS_PER_FILE, test: TEST_RECORDS },
      onProgress: (received, total) => progress.push([received, total]),
    });
    expectUnpacked(folder, dir);
    expect(progress.at(-1)).toEqual([body.length, body.length]);
    expect(server.ranges).toEqual([undefined]);

    expect(await downloadCifar10({ dataDir: dir, url: server.url, md5: archive.md5 })).toBe(folder);
    expect(server.ranges).toHaveLength(1);
  });

  it('resumes with a Range request when the connection drops midway', async () => {
    const server = await serve('cut-first');
    const dir = dataDir();
    const folder = await downloadCifar10({
      dataDir: dir,
      url: server.url,
      md5: archive.md5,
      retryDelayMs: 0,
      onProgress: (received) => received >= server.half && server.cut(),
    });
    expectUnpacked(folder, dir);
    expect(server.ranges).toEqual([undefined, `bytes=${server.half}-`]);
  });

  it('keeps the part file when out of retries, and the next call resumes it', async () => {
    const server = await serve('cut-first');
    const dir = dataDir();
    const error = await rejection(
      downloadCifar10({
        dataDir: dir,
        url: server.url,
        md5: archive.md5,
        retries: 0,
        onProgress: (received) => received >= server.half && server.cut(),
      }),
    );
    expect(error.code).toBe('network');
    expect(error.message).toContain('interrupted');
    expect(error.message).toContain('again to resume');
    const part = join(dir, 'downloads', 'cifar-10-binary.tar.gz.part');
    const have = statSync(part).size;
    expect(have).toBe(server.half);
    expect(error.message).toContain(`after ${have} of ${body.length} bytes`);

    const progress: number[] = [];
    const folder = await downloadCifar10({
      dataDir: dir,
      url: server.url,
      md5: archive.md5,
      onProgress: (received) => progress.push(received),
    });
    expectUnpacked(folder, dir);
    expect(server.ranges[1]).toBe(`bytes=${have}-`);
    expect(progress[0]).toBeGreaterThan(have);
    expect(progress.at(-1)).toBe(body.length);
  });

  it('starts over when the server ignores the range and answers 200', async () => {
    const server = await serve('ignore-range');
    const dir = dataDir();
    mkdirSync(join(dir, 'downloads'));
    writeFileSync(join(dir, 'downloads', 'cifar-10-binary.tar.gz.part'), 'stale bytes from another file');
    const folder = await downloadCifar10({ dataDir: dir, url: server.url, md5: archive.md5 });
    expectUnpacked(folder, dir);
    expect(server.ranges).toEqual(['bytes=29-']);
  });

  it('rejects a checksum mismatch, moving the file aside and unpacking nothing', async () => {
    const server = await serve('normal');
    const dir = dataDir();
    const error = await rejection(downloadCifar10({ dataDir: dir, url: server.url, md5: '0'.repeat(32) }));
    expect(error.code).toBe('data-malformed');
    expect(error.message).toContain(`its MD5 is ${archive.md5}, expected ${'0'.repeat(32)}`);
    expect(error.message).toContain('again to download it afresh');
    expect(readdirSync(join(dir, 'downloads'))).toEqual(['cifar-10-binary.tar.gz.bad']);
    expect(existsSync(join(dir, 'cifar-10-batches-bin'))).toBe(false);
  });

  it('rejects an archive whose record counts are wrong, leaving no folder behind', async () => {
    const server = await serve('normal');
    const dir = dataDir();
    const error = await rejection(
      downloadCifar10({
        dataDir: dir,
        url: server.url,
        md5: archive.md5,
        expectedRecords: { train: 50, test: 4 },
      }),
    );
    expect(error.code).toBe('data-malformed');
    expect(error.message).toContain('holds 15 training and 4 test records; expected 50 and 4');
    expect(readdirSync(dir)).toEqual(['downloads']);
  });

  it('says it could not reach the host when nothing listens', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`;
    const error = await rejection(downloadCifar10({ dataDir: dataDir(), url, md5: archive.md5 }));
    expect(error.code).toBe('network');
    expect(error.message).toContain(`Could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(error.message).toContain('Check your internet connection');
    expect(error.message).toContain(`download ${url} by hand`);
    expect(error.message).toContain('normlab settings set cifar10Dir');
  });

  it('reports an HTTP 404', async () => {
    const server = await serve('missing');
    const error = await rejection(downloadCifar10({ dataDir: dataDir(), url: server.url, md5: archive.md5 }));
    expect(error.code).toBe('network');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain(server.url);
  });

  it('stops when aborted', async () => {
    const server = await serve('normal');
    const controller = new AbortController();
    controller.abort();
    await expect(
      downloadCifar10({ dataDir: dataDir(), url: server.url, md5: archive.md5, signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
  });
});
