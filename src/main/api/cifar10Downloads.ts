/**
 * The CIFAR-10 download of a service: one at a time (a second request joins the one under way), its
 * progress on the `download` stream (at most a few events a second), cancellable. An interrupted or
 * cancelled download leaves its partial file, and the next one resumes it (runs/datasets).
 */
import type { ApiEvent } from '../../shared/api';
import { toErrorInfo, UserError } from '../../shared/errors';
import { downloadCifar10 } from '../runs/datasets/cifar10Download';

/** Progress events are spaced at least this far apart (the last one always goes out). */
const PROGRESS_INTERVAL_MS = 200;

export class Cifar10Downloads {
  private current: { promise: Promise<string>; abort: AbortController } | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly publish: (event: ApiEvent) => void,
  ) {}

  /** Starts (or joins) the download; resolves with the unpacked folder. */
  start(source: { url?: string | undefined; md5?: string | undefined } = {}): Promise<string> {
    if (this.current) return this.current.promise;
    const abort = new AbortController();
    let last = 0;
    const progress = (received: number, total: number | undefined): void => {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && received !== total) return;
      last = now;
      this.publish({ topic: 'download', event: { received, total: total ?? null, done: false } });
    };
    const promise = downloadCifar10({
      dataDir: this.dataDir,
      onProgress: progress,
      signal: abort.signal,
      ...(source.url ? { url: source.url } : {}),
      ...(source.md5 ? { md5: source.md5 } : {}),
    }).then(
      (dir) => {
        this.current = undefined;
        this.publish({ topic: 'download', event: { received: 0, total: null, done: true, dir } });
        return dir;
      },
      (e: unknown) => {
        this.current = undefined;
        const error = abort.signal.aborted
          ? new UserError(
              'network',
              'The CIFAR-10 download was cancelled; start it again to resume where it stopped.',
            )
          : e;
        // What the client is shown: the code and the message, never a stack.
        const { code, message } = toErrorInfo(error);
        this.publish({
          topic: 'download',
          event: { received: 0, total: null, done: true, error: { code, message } },
        });
        throw error;
      },
    );
    this.current = { promise, abort };
    return promise;
  }

  /** Cancels the download under way, if any. */
  cancel(): void {
    this.current?.abort.abort();
  }

  get active(): boolean {
    return this.current !== undefined;
  }
}
