/**
 * Test fixtures for the CIFAR-10 downloader: a small archive in the official layout, and a loopback
 * HTTP server that serves it with Range support and a few scripted misbehaviours.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';

export const TRAIN_RECORDS_PER_FILE = 3;
export const TEST_RECORDS = 4;

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `normlab-${prefix}-`));
}

/** Records with labels r mod 10 and pseudo-random pixels (so gzip cannot shrink the archive to nothing). */
function records(count: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(count * 3073);
  let state = seed;
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  for (let r = 0; r < count; r++) bytes[r * 3073] = r % 10;
  return bytes;
}

/** Builds cifar-10-batches-bin/{data_batch_1..5.bin, test_batch.bin, batches.meta.txt} as a .tar.gz. */
export async function buildSmallArchive(
  dir: string,
  folder = 'cifar-10-batches-bin',
): Promise<{ path: string; md5: string }> {
  const source = join(dir, 'source');
  mkdirSync(join(source, folder), { recursive: true });
  for (let b = 1; b <= 5; b++)
    writeFileSync(join(source, folder, `data_batch_${b}.bin`), records(TRAIN_RECORDS_PER_FILE, b));
  writeFileSync(join(source, folder, 'test_batch.bin'), records(TEST_RECORDS, 99));
  writeFileSync(
    join(source, folder, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n',
  );
  const path = join(dir, 'cifar-10-binary.tar.gz');
  await tar.c({ gzip: true, file: path, cwd: source }, [folder]);
  return { path, md5: createHash('md5').update(readFileSync(path)).digest('hex') };
}

/**
 * 'normal': 200, or 206 with Content-Range for `Range: bytes=N-`. 'cut-first': the first request gets
 * headers for the whole file and its first `half` bytes, then hangs until `cut()` destroys the socket
 * (the test calls it once the client has stored those bytes: a WHATWG body stream drops chunks still
 * queued when it errors, so cutting on a timer would make the client's progress a race).
 * 'ignore-range': always 200 with the whole file. 'missing': 404.
 */
export type ServerMode = 'normal' | 'cut-first' | 'ignore-range' | 'missing';

export interface ArchiveServer {
  url: string;
  /** The Range header of every request, in order (undefined when none was sent). */
  ranges: (string | undefined)[];
  /** The bytes 'cut-first' sends before hanging. */
  half: number;
  /** Destroys the hanging first connection of 'cut-first'. */
  cut(): void;
  close(): Promise<void>;
}

export async function serveArchive(body: Uint8Array, mode: ServerMode): Promise<ArchiveServer> {
  const ranges: (string | undefined)[] = [];
  const half = Math.floor(body.length / 2);
  let hanging: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    const range = req.headers.range;
    ranges.push(range);
    if (mode === 'missing') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    if (mode === 'cut-first' && ranges.length === 1) {
      res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/gzip' });
      res.write(body.subarray(0, half));
      hanging = () => res.socket?.destroy();
      // Bounded even if a test never calls cut().
      setTimeout(() => hanging?.(), 3000).unref();
      return;
    }
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    if (match && mode !== 'ignore-range') {
      const start = Number(match[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'content-type': 'application/gzip',
      });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/gzip' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`,
    ranges,
    half,
    cut: () => hanging?.(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
