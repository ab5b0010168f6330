/**
 * `normlab serve` as a child process for the browser tests and the table benchmark: started on a
 * free port with its own NORMLAB_HOME and database, its URL (with the token) read from its output,
 * stopped with Ctrl-C (SIGINT) as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Settings } from '../../src/shared/api';

// Not from test/helpers/repoPaths: this module runs under tsx's ESM too (bench/runsTablePaint.ts).
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CLI_BIN = join(REPO_ROOT, 'bin', 'normlab.js');

export interface ServeProcess {
  /** The page URL normlab serve printed, token included. */
  url: string;
  token: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** Calls one API method over POST /api/call/METHOD. */
  call: <T>(method: string, params: unknown) => Promise<T>;
  stop: () => Promise<void>;
}

export interface ServeOptions {
  home: string;
  db: string;
  settings?: Settings;
  /** Extra environment (e.g. NORMLAB_HOME is set from `home`). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  if (options.settings) {
    mkdirSync(join(options.home, 'config'), { recursive: true });
    writeFileSync(join(options.home, 'config', 'settings.json'), JSON.stringify(options.settings, null, 2));
  }
  const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--db', options.db, '--no-open'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, NORMLAB_HOME: options.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`normlab serve printed no URL in ${options.timeoutMs ?? 60_000} ms:\n${out}`)),
      options.timeoutMs ?? 60_000,
    );
    const look = (): void => {
      const m = out.match(/https?:\/\/\S+[?&]token=[A-Za-z0-9_-]+/);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`normlab serve exited (${code}) before printing its URL:\n${out}`));
    });
  });
  const token = new URL(url).searchParams.get('token') ?? '';
  const call = async <T>(method: string, params: unknown): Promise<T> => {
    const res = await fetch(new URL(`/api/call/${method}`, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(params ?? {}),
    });
    const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
    return body.result as T;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, token, child, output: () => out, call, stop };
}
