/**
 * `normlab serve` as a whole with a fake service: it prints the URL with its token, warns when it
 * listens beyond this machine, falls back to a free port, and on SIGINT stops the service (runs
 * checkpointed) before it resolves; a second SIGINT exits at once.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire } from '../../../../src/shared/api';
import { isUserError } from '../../../../src/shared/errors';
import {
  DEFAULT_PORT,
  REPEATED_SIGNAL_MS,
  startServe,
  type RunningServe,
  type ServeEnvironment,
} from '../../../../src/main/hosts/serve/serve';
import { fakeHostService, type FakeHostService } from '../../../helpers/fakeHostService';

interface Harness {
  env: ServeEnvironment;
  service: FakeHostService;
  printed: string[];
  warned: string[];
  signals: EventEmitter;
  exits: number[];
  opened: string[];
  createdWith: { db?: string }[];
}

function harness(): Harness {
  const service = fakeHostService();
  const h: Harness = {
    service,
    printed: [],
    warned: [],
    signals: new EventEmitter(),
    exits: [],
    opened: [],
    createdWith: [],
    env: undefined as unknown as ServeEnvironment,
  };
  h.env = {
    createService: (options) => {
      h.createdWith.push(options);
      return service;
    },
    rendererDir: '/nonexistent/renderer',
    print: (line) => void h.printed.push(line),
    warn: (line) => void h.warned.push(line),
    log: (line) => void h.warned.push(line),
    signals: h.signals as unknown as ServeEnvironment['signals'],
    exitNow: (code) => void h.exits.push(code),
    openBrowser: (url) => {
      h.opened.push(url);
      return () => {};
    },
  };
  return h;
}

const running: RunningServe[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function serve(h: Harness, options: Parameters<typeof startServe>[0]): Promise<RunningServe> {
  const r = await startServe(options, h.env);
  running.push(r);
  return r;
}

/** Holds a port so that serve must find another. */
async function occupy(port: number): Promise<() => Promise<void>> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return () => new Promise((resolve) => server.close(() => resolve()));
}

describe('normlab serve', () => {
  it('prints a 127.0.0.1 URL with a URL-safe random token, and opens it', async () => {
    const h = harness();
    const r = await serve(h, { port: 0, db: '/tmp/x.sqlite' });
    expect(r.url).toBe(`http://127.0.0.1:${r.port}/?token=${r.token}`);
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h.printed.join('\n')).toContain(r.url);
    expect(h.warned.join('\n')).not.toContain('WARNING');
    expect(h.opened).toEqual([r.url]);
    expect(h.createdWith).toEqual([{ db: '/tmp/x.sqlite' }]);
    const other = await serve(harness(), { port: 0, open: false });
    expect(other.token).not.toBe(r.token);
  });

  it('uses 5273 when free and another free port when not', async () => {
    let release: (() => Promise<void>) | undefined;
    try {
      release = await occupy(DEFAULT_PORT);
    } catch {
      // Something else holds 5273 already: the fallback is tested all the same.
    }
    try {
      const r = await serve(harness(), { open: false });
      expect(r.port).not.toBe(DEFAULT_PORT);
      expect(r.port).toBeGreaterThan(0);
    } finally {
      await release?.();
    }
  });

  it('refuses a port in use when one is asked for, with a usage error', async () => {
    const h = harness();
    const first = await serve(harness(), { port: 0, open: false });
    const error = await startServe({ port: first.port, open: false }, h.env).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String((error as Error).message)).toContain(`port ${first.port} is in use`);
    expect(h.service.shutdowns).toBe(1);
  });

  it('warns when listening on 0.0.0.0, and does not open a browser', async () => {
    const h = harness();
    const r = await serve(h, { host: '0.0.0.0', port: 0 });
    const warning = h.warned.join('\n');
    expect(warning).toContain('WARNING: listening on 0.0.0.0');
    expect(warning).toContain('Anyone on that network who has the URL');
    expect(h.printed.join('\n')).toContain(`http://127.0.0.1:${r.port}/?token=${r.token}`);
    expect(h.opened).toEqual([]);
    // It still answers on 127.0.0.1, with the token.
    const res = await fetch(`http://127.0.0.1:${r.port}/api/call/app.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });

  it('stops the runs through service.shutdown on SIGINT, closing sockets first', async () => {
    const h = harness();
    h.service.active = ['r1', 'r2'];
    const r = await serve(h, { port: 0, open: false });
    const socket = new WebSocket(`ws://127.0.0.1:${r.port}/api/ws?token=${r.token}`);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(encodeWire({ kind: 'call', id: 1, method: 'app.info', params: {} }));
    await new Promise((resolve) => socket.once('message', (d) => resolve(decodeWire(String(d)))));
    const closed = new Promise((resolve) => socket.once('close', resolve));

    h.signals.emit('SIGINT');
    expect(await r.stopped).toBe(0);
    await closed;
    expect(h.service.shutdowns).toBe(1);
    expect(h.service.closed).toHaveLength(1);
    expect(h.printed.join('\n')).toContain('Stopping 2 active runs');
    expect(h.exits).toEqual([]);
    expect(h.signals.listenerCount('SIGINT')).toBe(0);
    expect(h.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits at once on a second SIGINT while stopping (one delivered twice by npm is one)', async () => {
    const h = harness();
    let finish: () => void = () => {};
    h.service.shutdown = () => new Promise<void>((resolve) => (finish = resolve));
    const r = await serve(h, { port: 0, open: false });
    h.signals.emit('SIGTERM');
    h.signals.emit('SIGINT');
    expect(h.exits).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, REPEATED_SIGNAL_MS + 50));
    h.signals.emit('SIGINT');
    expect(h.exits).toEqual([130]);
    finish();
    expect(await r.stopped).toBe(0);
  });
});
