/**
 * Starts an engine worker thread and turns its life into typed callbacks. Whatever happens inside the
 * worker (an exception, an out-of-memory, an abrupt exit) reaches the host as `onFailed`; the host
 * process itself keeps running.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../../shared/errors';
import { prepareWebGpuEnvironment } from '../../shared/webgpuEnvironment';
import type { HostToWorker, WorkerToHost } from '../../shared/workerProtocol';

export interface WorkerCallbacks {
  onMessage(message: WorkerToHost): void;
  /** The worker died without reporting (crash, exit, resource limit). Called at most once. */
  onCrash(error: ErrorInfo): void;
}

export interface WorkerEntry {
  path: string;
  execArgv: string[];
}

/**
 * Where the worker script is: the engine's source (src/main/engine/worker.ts) under tsx/vitest, or
 * `worker.js` in the bundled output (this code may sit in a shared chunk one folder below it). Found
 * by path, never imported: the runs layer reaches the engine only through the worker's messages.
 */
export function defaultWorkerEntry(): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return { path: join(dirname(here), '..', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] };
  }
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const candidate = join(dir, 'worker.js');
    if (existsSync(candidate)) return { path: candidate, execArgv: [] };
  }
  throw new Error(
    `the engine worker (worker.js) was not found next to ${here}; rebuild with "npm run build"`,
  );
}

export class WorkerHost {
  private readonly worker: Worker;
  private ended = false;

  /**
   * `env` overrides variables of the worker's copy of process.env (e.g. NORMLAB_WASM_THREADS for one
   * benchmark), leaving this process's own environment alone.
   */
  constructor(
    callbacks: WorkerCallbacks,
    entry: WorkerEntry = defaultWorkerEntry(),
    env: Record<string, string> = {},
  ) {
    // A worker's process.env is a copy taken now: Mesa's EGL platform must be set before it starts.
    prepareWebGpuEnvironment(process.env);
    this.worker = new Worker(entry.path, { execArgv: entry.execArgv, env: { ...process.env, ...env } });
    this.worker.on('message', (m: WorkerToHost) => callbacks.onMessage(m));
    this.worker.on('error', (e: Error) => {
      if (this.ended) return;
      this.ended = true;
      callbacks.onCrash({
        code: 'internal',
        message: `the engine worker crashed: ${e.message}`,
        ...(e.stack ? { stack: e.stack } : {}),
      });
    });
    this.worker.on('exit', (code) => {
      if (this.ended) return;
      this.ended = true;
      callbacks.onCrash({
        code: 'internal',
        message: `the engine worker exited unexpectedly (exit code ${code})`,
      });
    });
  }

  send(message: HostToWorker): void {
    this.worker.postMessage(message);
  }

  /** Ends the worker on purpose: no crash is reported for it. */
  async terminate(): Promise<void> {
    this.ended = true;
    await this.worker.terminate();
  }
}
