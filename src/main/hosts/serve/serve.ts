/**
 * `normlab serve`: starts the service and the server, prints the URL with its token (as Jupyter
 * does), optionally opens a browser, and on Ctrl-C (SIGINT, SIGTERM) stops the active runs cleanly
 * (checkpointed, resumable) before it exits; a second Ctrl-C exits at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { UserError } from '../../../shared/errors';
import type { HostService } from '../hostService';
import type { HostLog } from '../wireCall';
import { allowedHosts, isLoopbackHost, isWildcardHost, newToken } from './security';
import { createServeApp } from './server';

/** Tried first when no --port is given, so a bookmarked URL keeps its port across restarts. */
export const DEFAULT_PORT = 5273;
export const DEFAULT_HOST = '127.0.0.1';
/** A second Ctrl-C within this many ms is the same one, delivered twice (see onSignal). */
export const REPEATED_SIGNAL_MS = 500;

export interface ServeOptions {
  /** 0 or absent: DEFAULT_PORT if free, else any free port. */
  port?: number;
  host?: string;
  db?: string;
  /** Open the page in the default browser (on a machine with a display). */
  open?: boolean;
}

/** What the serve host uses of its surroundings, so that tests can provide every piece. */
export interface ServeEnvironment {
  createService(options: { db?: string }): HostService;
  rendererDir: string;
  /** Lines for the user (stdout): the URL, what happens on Ctrl-C. */
  print(line: string): void;
  /** Warnings and errors (stderr). */
  warn(line: string): void;
  log: HostLog;
  signals: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Called on a second Ctrl-C: leave now. */
  exitNow(code: number): void;
  /** Opens the page; returns what to clean up when the server stops. */
  openBrowser(url: string): () => void;
}

export interface RunningServe {
  url: string;
  port: number;
  token: string;
  /** Resolves with the exit code once the server and the service have stopped. */
  stopped: Promise<number>;
  /** What Ctrl-C does: stop the runs (checkpointed), close the server and the store. */
  stop(): Promise<number>;
}

/** The host as it appears in a URL (IPv6 in brackets); a wildcard is shown as this machine's name. */
function urlHost(host: string): string {
  if (isWildcardHost(host)) return hostname();
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function listen(app: FastifyInstance, host: string, port: number | undefined): Promise<number> {
  const tryPort = async (p: number): Promise<number> => {
    await app.listen({ host, port: p });
    return (app.server.address() as AddressInfo).port;
  };
  try {
    return await tryPort(port ?? DEFAULT_PORT);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && port === undefined) return await tryPort(0);
    if (code === 'EADDRINUSE')
      throw new UserError('usage', `port ${port} is in use: choose another with --port, or leave it out`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UserError('usage', `cannot listen on ${host}: it is not an address of this machine`);
    if (code === 'EACCES')
      throw new UserError('usage', `not allowed to listen on port ${port}: choose one above 1023`);
    throw e;
  }
}

export async function startServe(options: ServeOptions, env: ServeEnvironment): Promise<RunningServe> {
  const host = options.host ?? DEFAULT_HOST;
  const token = newToken();
  const service = env.createService(options.db !== undefined ? { db: options.db } : {});
  let allowed: ReadonlySet<string> = new Set();
  let app: FastifyInstance;
  let port: number;
  try {
    app = await createServeApp({
      service,
      token,
      allowedHosts: () => allowed,
      rendererDir: env.rendererDir,
      log: env.log,
    });
    port = await listen(app, host, options.port === 0 ? undefined : options.port);
  } catch (e) {
    await service.shutdown();
    throw e;
  }
  allowed = allowedHosts(host, port);
  const url = `http://${urlHost(host)}:${port}/?token=${token}`;

  if (!isLoopbackHost(host)) {
    env.warn(
      `normlab serve: WARNING: listening on ${host}, not only on this machine. Anyone on that ` +
        'network who has the URL (it holds the token) can start code-heavy runs and read or delete ' +
        'your runs, and the connection is not encrypted. On a remote workstation prefer the default ' +
        `and an SSH tunnel: ssh -L ${port}:127.0.0.1:${port} THIS-HOST`,
    );
  }
  env.print(`NormLab is serving ${service.dbPath}`);
  env.print(`Open ${url}`);
  if (isWildcardHost(host)) env.print(`  or, on this machine, http://127.0.0.1:${port}/?token=${token}`);
  if (!existsSync(join(env.rendererDir, 'index.html')))
    env.warn(
      `normlab serve: the page is not built (${env.rendererDir}): run "npm run build"; the API works.`,
    );
  env.print('Press Ctrl-C to stop (active runs are checkpointed and can be resumed).');

  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<number> | undefined;
  const cleanups: (() => void)[] = [];

  const stop = (): Promise<number> => {
    stopping ??= (async () => {
      const active = service.activeRuns().length;
      env.print(
        active > 0
          ? `Stopping ${active} active run${active === 1 ? '' : 's'}: each is checkpointed and can be ` +
              'resumed (normlab resume RUN). Press Ctrl-C again to quit at once.'
          : 'Stopping.',
      );
      let code = 0;
      try {
        // New calls stop first, then the runs; the store closes last.
        await app.close();
      } catch (e) {
        env.log('closing the server', e);
        code = 1;
      }
      try {
        await service.shutdown();
      } catch (e) {
        env.log('stopping the runs', e);
        code = 1;
      }
      env.signals.off('SIGINT', onSignal);
      env.signals.off('SIGTERM', onSignal);
      for (const cleanup of cleanups) cleanup();
      resolveStopped(code);
      return code;
    })();
    return stopping;
  };

  let firstSignalAt = 0;
  const onSignal = (): void => {
    // npm forwards the terminal's Ctrl-C to its script, which got it from the terminal already:
    // two signals this close together are one keypress.
    if (stopping !== undefined && Date.now() - firstSignalAt < REPEATED_SIGNAL_MS) return;
    if (stopping !== undefined) {
      env.warn('normlab serve: stopped at once; runs not yet checkpointed show as interrupted.');
      env.exitNow(130);
      return;
    }
    firstSignalAt = Date.now();
    void stop();
  };
  env.signals.on('SIGINT', onSignal);
  env.signals.on('SIGTERM', onSignal);

  if (options.open !== false && isLoopbackHost(host)) cleanups.push(env.openBrowser(url));
  return { url, port, token, stopped, stop };
}

/**
 * Finds the built renderer next to the bundle this code runs from (out/main or out/main/chunks ->
 * out/renderer), or, from the sources (tests), the repository's out/renderer.
 */
export function defaultRendererDir(from: string): string {
  let dir = from;
  for (;;) {
    if (basename(dir) === 'out') return join(dir, 'renderer');
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'out', 'renderer');
    const parent = dirname(dir);
    if (parent === dir) return join(from, 'renderer');
    dir = parent;
  }
}

/**
 * Opens the URL in the default browser where there is a display; a failure is silent since the URL
 * is printed anyway. As Jupyter does, the browser is handed a private file that redirects to the URL,
 * so the token never appears on a command line (other users can list those). Returns a function that
 * removes the file.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): () => void {
  const opener =
    process.platform === 'darwin'
      ? 'open'
      : process.platform === 'win32'
        ? 'explorer'
        : env['DISPLAY'] || env['WAYLAND_DISPLAY']
          ? 'xdg-open'
          : undefined;
  if (opener === undefined) return () => {};
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'normlab-open-')); // mode 0700: this user only
    const file = join(dir, 'open.html');
    const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><a href="${url}">NormLab</a>`;
    writeFileSync(file, html, { mode: 0o600 });
    const child = spawn(opener, [pathToFileURL(file).href], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener on this machine: the printed URL is enough.
  }
  return () => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
}
