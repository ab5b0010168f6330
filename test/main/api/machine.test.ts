/**
 * The service's machine methods that reach outside the database: the backends' reports (probed once
 * in an engine worker, then cached), and the CIFAR-10 download with its progress stream, its cancel
 * and its resume.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/shared/errors';
import { openHarness } from '../../helpers/serviceHarness';
import { tempDirs } from '../../helpers/tempDirs';
import { waitUntil } from '../../helpers/waitUntil';
import { buildSmallArchive, serveArchive } from '../runs/datasets/archiveServer';

const dirs = tempDirs('service-machine');
afterAll(() => dirs.cleanup());

describe('backends.list', () => {
  it('reports every backend from an engine worker, once, until asked to refresh', async () => {
    const h = openHarness(dirs.make());
    try {
      const first = await h.call('backends.list', {});
      expect(first.map((r) => r.name).sort()).toEqual([
        'cpu',
        'tensorflow',
        'tensorflow-gpu',
        'wasm',
        'webgpu',
      ]);
      expect(first.find((r) => r.name === 'wasm')?.available).toBe(true);
      const t0 = performance.now();
      expect(await h.call('backends.list', {})).toEqual(first);
      expect(performance.now() - t0).toBeLessThan(200);
      const two = await h.call('backends.list', { threads: 2 });
      expect(two.find((r) => r.name === 'wasm')?.details.threadsCount).toBe(2);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('data.downloadCifar10', () => {
  it('downloads into the data directory with progress on the download stream; a cancel keeps what came, the next call resumes', async () => {
    const dir = dirs.make();
    const archive = await buildSmallArchive(dirs.make());
    const server = await serveArchive(new Uint8Array(readFileSync(archive.path)), 'cut-first');
    const h = openHarness(dir);
    try {
      await h.subscribe({ topic: 'download' });
      const source = { url: server.url, md5: archive.md5 };
      const first = h.call('data.downloadCifar10', source).catch((e: unknown) => e);
      await waitUntil(
        () => h.events.find((e) => e.topic === 'download' && e.event.received === server.half),
        'the first half on the download stream',
      );
      expect(await h.call('data.cancelDownload', {})).toEqual({ ok: true });
      server.cut();
      const cancelled = await first;
      expect(cancelled).toBeInstanceOf(UserError);
      expect((cancelled as UserError).message).toMatch(/cancelled; start it again to resume/);
      expect(h.events.at(-1)).toMatchObject({
        topic: 'download',
        event: { done: true, error: { code: 'network' } },
      });

      const folder = join(h.home, 'data', 'cifar-10-batches-bin');
      expect(await h.call('data.downloadCifar10', source)).toEqual({ dir: folder });
      expect(server.ranges.at(-1)).toBe(`bytes=${server.half}-`);
      expect(h.events.at(-1)).toEqual({
        topic: 'download',
        event: { received: 0, total: null, done: true, dir: folder },
      });
      expect(await h.call('data.checkCifar10', {})).toMatchObject({
        ok: true,
        dir: folder,
        trainImages: 15,
        testImages: 4,
      });
    } finally {
      await h.close();
      await server.close();
    }
  }, 60_000);
});
