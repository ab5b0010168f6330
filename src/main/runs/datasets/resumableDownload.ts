/**
 * Downloads a URL into a `.part` file that survives interruptions: each attempt asks for the missing
 * tail with an HTTP Range request (`Range: bytes=<have>-`). A 206 reply whose Content-Range starts at
 * <have> is appended; a 200 reply (a server that ignores ranges) or a 206 at another offset restarts
 * the file from zero; a 416 (the range is past the end) discards the part and starts again. A dropped
 * connection is retried `retries` times, each retry resuming where the last stopped; after that the
 * part file stays on disk so that running the command again resumes it.
 */
import { open, stat, truncate } from 'node:fs/promises';
import { UserError } from '../../../shared/errors';
import { interruptedError, unreachableError } from './networkError';

export interface ResumableDownloadOptions {
  /** Called after every chunk with the bytes on disk (earlier attempts included) and the full size if known. */
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /** Extra attempts after a dropped connection; default 3. */
  retries?: number;
  /** Wait before retry n (1-based): n * retryDelayMs; default 1000. */
  retryDelayMs?: number;
  /** Completes "..., or " in network error messages: how to get the file without NormLab. */
  manualHint: string;
}

/** Thrown by one attempt when the body broke off; retried, then reported as interruptedError. */
class Interrupted extends Error {
  constructor(
    readonly received: number,
    readonly total: number | undefined,
    override readonly cause: unknown,
  ) {
    super('download interrupted');
  }
}

/** Restart from byte 0 (the server ignored or refused the range). */
class Restart extends Error {}

export async function downloadResumable(
  url: string,
  partPath: string,
  options: ResumableDownloadOptions,
): Promise<void> {
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      await attemptDownload(url, partPath, options);
      return;
    } catch (e) {
      if (e instanceof Restart) {
        await truncate(partPath, 0);
        attempt--;
        continue;
      }
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      if (!(e instanceof Interrupted)) throw e;
      if (attempt >= retries) throw interruptedError(url, e.received, e.total, e.cause, options.manualHint);
      await new Promise((resolve) => setTimeout(resolve, (attempt + 1) * retryDelayMs));
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function attemptDownload(
  url: string,
  partPath: string,
  options: ResumableDownloadOptions,
): Promise<void> {
  const have = await sizeOf(partPath);
  // identity: a transparently decompressed body would not match the byte offsets of the file.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (have > 0) headers.range = `bytes=${have}-`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: options.signal ?? null, redirect: 'follow' });
  } catch (e) {
    if (options.signal?.aborted) throw options.signal.reason ?? e;
    throw unreachableError(url, e, options.manualHint);
  }

  let start = 0;
  let total: number | undefined;
  if (response.status === 206 && have > 0) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      await response.body?.cancel();
      throw new Restart();
    }
    start = have;
    total = range[3] === '*' ? undefined : Number(range[3]);
  } else if (response.status === 200 || response.status === 206) {
    const length = response.headers.get('content-length');
    total = length === null ? undefined : Number(length);
  } else if (response.status === 416 && have > 0) {
    await response.body?.cancel();
    throw new Restart();
  } else {
    await response.body?.cancel();
    throw new UserError(
      'network',
      `${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}. Check the ` +
        `URL, try again later, or ${options.manualHint}`,
    );
  }

  const file = await open(partPath, start > 0 ? 'a' : 'w');
  let received = start;
  try {
    if (!response.body) throw new Interrupted(received, total, new Error('empty response body'));
    try {
      for await (const chunk of response.body) {
        await file.write(chunk);
        received += chunk.byteLength;
        options.onProgress?.(received, total);
      }
    } catch (e) {
      throw new Interrupted(received, total, e);
    }
    if (total !== undefined && received !== total) {
      throw new Interrupted(received, total, new Error(`connection closed early`));
    }
  } finally {
    await file.close();
  }
}
