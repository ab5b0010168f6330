/**
 * serve's server with a fake service: the token (401), Host and Origin (403) checks on HTTP and on
 * the WebSocket upgrade; every malformed frame refused with nothing dispatched; calls answered and
 * subscribed events delivered with NaN and Infinity intact; the renderer served with SPA fallback.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire, type ApiEvent, type WireMessage } from '../../../../src/shared/api';
import { allowedHosts } from '../../../../src/main/hosts/serve/security';
import { createServeApp, WS_POLICY_VIOLATION } from '../../../../src/main/hosts/serve/server';
import { INTERNAL_ERROR_MESSAGE } from '../../../../src/main/hosts/wireCall';
import { DIVERGED_ROW, fakeHostService, type FakeHostService } from '../../../helpers/fakeHostService';
import { MALFORMED_CALLS, wsText } from '../../../helpers/malformedCalls';
import { tempDirs } from '../../../helpers/tempDirs';

const TOKEN = 'test-token_0123456789abcdefghijklmnopqrstuv';
const temp = tempDirs('serve');
afterAll(() => temp.cleanup());

interface Server {
  app: FastifyInstance;
  service: FakeHostService;
  port: number;
  host: string;
  logged: string[];
}

async function startServer(rendererDir = join(temp.make(), 'missing')): Promise<Server> {
  const service = fakeHostService();
  const logged: string[] = [];
  let allowed: ReadonlySet<string> = new Set();
  const app = await createServeApp({
    service,
    token: TOKEN,
    allowedHosts: () => allowed,
    rendererDir,
    log: (m) => void logged.push(m),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  allowed = allowedHosts('127.0.0.1', port);
  return { app, service, port, host: `127.0.0.1:${port}`, logged };
}

/** Opens a WebSocket and collects its messages; resolves once open. */
async function connect(s: Server, query = `?token=${TOKEN}`, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://${s.host}/api/ws${query}`, { headers });
  const messages: WireMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(decodeWire(String(data)) as WireMessage);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = async (predicate: (m: WireMessage) => boolean): Promise<WireMessage> => {
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const reply = (id: number) => next((m) => m.kind === 'reply' && m.id === id);
  return { socket, messages, closed, next, reply };
}

/** The HTTP status a WebSocket upgrade gets (101 when it is accepted). */
function upgradeStatus(s: Server, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      // A fresh connection each time: a refused upgrade's connection is closed by the server.
      agent: false,
      host: '127.0.0.1',
      port: s.port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        Host: s.host,
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

let s: Server;
beforeEach(async () => {
  s = await startServer();
});
afterEach(async () => {
  await s.app.close();
});

describe('serve: access', () => {
  const post = (headers: Record<string, string>, url = '/api/call/app.info') =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { host: s.host, 'content-type': 'application/json', ...headers },
      payload: '{}',
    });

  it('answers an API call with the right token, in a header or the query', async () => {
    const byHeader = await post({ authorization: `Bearer ${TOKEN}` });
    expect(byHeader.statusCode).toBe(200);
    expect(byHeader.json()).toMatchObject({ ok: true, result: { version: '0.0.0-test' } });
    const byQuery = await post({}, `/api/call/app.info?token=${TOKEN}`);
    expect(byQuery.statusCode).toBe(200);
    expect(s.service.calls.map((c) => c.method)).toEqual(['app.info', 'app.info']);
  });

  it.each([
    ['no token', {}, '/api/call/app.info'],
    ['a wrong token', { authorization: 'Bearer nope' }, '/api/call/app.info'],
    ['a wrong query token', {}, '/api/call/app.info?token=nope'],
    ['a token repeated in the query', {}, `/api/call/app.info?token=${TOKEN}&token=${TOKEN}`],
    ['a token with a prefix', { authorization: `Bearer x${TOKEN}` }, '/api/call/app.info'],
    ['a Basic authorization', { authorization: `Basic ${TOKEN}` }, '/api/call/app.info'],
  ])('refuses %s with 401', async (_name, headers, url) => {
    const res = await post(headers, url);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(s.service.calls).toEqual([]);
  });

  it.each([
    ['a foreign Host (DNS rebinding)', { host: `evil.example:${0}` }],
    ['the right name on another port', { host: '127.0.0.1:1' }],
    ['a foreign Origin', { origin: 'http://evil.example' }],
    ['the null Origin', { origin: 'null' }],
    ['an https Origin of the same host', { origin: 'https://127.0.0.1' }],
  ])('refuses %s with 403, even with the token', async (_name, headers) => {
    const res = await post({ authorization: `Bearer ${TOKEN}`, ...headers });
    expect(res.statusCode).toBe(403);
    expect(s.service.calls).toEqual([]);
  });

  it('accepts localhost, 127.0.0.1 and [::1] on its port, with their own Origin', async () => {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const host = `${name}:${s.port}`;
      const res = await post({ authorization: `Bearer ${TOKEN}`, host, origin: `http://${host}` });
      expect(res.statusCode, host).toBe(200);
    }
  });

  it('refuses the WebSocket upgrade without the token (401) or from elsewhere (403)', async () => {
    const origin = `http://${s.host}`;
    expect(await upgradeStatus(s, `/api/ws?token=${TOKEN}`, { Origin: origin })).toBe(101);
    expect(await upgradeStatus(s, '/api/ws', { Origin: origin })).toBe(401);
    expect(await upgradeStatus(s, '/api/ws?token=wrong', { Origin: origin })).toBe(401);
    expect(await upgradeStatus(s, '/api/ws', { Authorization: `Bearer ${TOKEN}` })).toBe(101);
    expect(await upgradeStatus(s, `/api/ws?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(s, `/api/ws?token=${TOKEN}`, { Host: 'evil.example' })).toBe(403);
    expect(await upgradeStatus(s, `/api/ws?token=${TOKEN}`, { Host: `rebind.example:${s.port}` })).toBe(403);
    expect(s.service.sessions.size).toBeLessThanOrEqual(2);
    expect(s.service.calls).toEqual([]);
  });

  it('sets a CSP and keeps the token out of Referer headers', async () => {
    const res = await post({ authorization: `Bearer ${TOKEN}` });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://${s.host}`);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('serve: POST /api/call/:method', () => {
  const call = (method: string, payload: string) =>
    s.app.inject({
      method: 'POST',
      url: `/api/call/${method}`,
      headers: { host: s.host, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload,
    });

  it('encodes NaN and Infinity with encodeWire', async () => {
    const res = await call('runs.list', '{}');
    expect(res.statusCode).toBe(200);
    expect(decodeWire(res.body)).toEqual({ ok: true, result: { total: 1, rows: [DIVERGED_ROW] } });
    expect(res.body).toContain('{"$nonfinite":"NaN"}');
  });

  it('answers bad calls with 4xx and runs nothing', async () => {
    expect((await call('runs.nuke', '{}')).statusCode).toBe(400);
    expect((await call('runs.get', '{"runId": 3}')).statusCode).toBe(400);
    expect((await call('runs.get', '{"runId": "a", "x": 1}')).statusCode).toBe(400);
    const notJson = await call('app.info', '{nope');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ ok: false, error: { code: 'usage' } });
    const big = await call('runs.update', JSON.stringify({ runId: 'a', notes: 'x'.repeat(5 * 1024 * 1024) }));
    expect(big.statusCode).toBe(413);
    expect(s.service.calls).toEqual([]);
    expect((await call('runs.get', '{"runId": "zz"}')).statusCode).toBe(404);
  });

  it('answers an internal error generically (no stack, no message) and logs it', async () => {
    s.service.override('app.info', () => {
      throw new Error('database at /secret/path is locked');
    });
    const res = await call('app.info', '{}');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
    expect(res.body).not.toContain('secret');
    expect(s.logged.join('\n')).toContain('app.info');
  });
});

describe('serve: WebSocket', () => {
  it.each(MALFORMED_CALLS)('refuses $name and runs nothing', async (c) => {
    const ws = await connect(s);
    ws.socket.send(wsText(c));
    if (c.answer === 'reply') {
      const reply = await ws.reply(c.id ?? -1);
      expect(reply).toMatchObject({ ok: false, error: { code: 'usage' } });
      // The socket stays usable after a refused call.
      ws.socket.send(encodeWire({ kind: 'call', id: 1000, method: 'app.info', params: {} }));
      expect(await ws.reply(1000)).toMatchObject({ ok: true });
      expect(s.service.calls.map((x) => x.method)).toEqual(['app.info']);
      ws.socket.close();
    } else {
      const closed = await ws.closed;
      expect(closed.code).toBe(c.answer === 'too-big' ? 1009 : WS_POLICY_VIOLATION);
      expect(s.service.calls).toEqual([]);
    }
  });

  it('refuses binary frames', async () => {
    const ws = await connect(s);
    ws.socket.send(Buffer.from(encodeWire({ kind: 'call', id: 1, method: 'app.info', params: {} })));
    expect((await ws.closed).code).toBe(1003);
    expect(s.service.calls).toEqual([]);
  });

  it('answers calls and delivers subscribed events with NaN and Infinity intact', async () => {
    const ws = await connect(s, `?token=${TOKEN}`, { Origin: `http://${s.host}` });
    ws.socket.send(encodeWire({ kind: 'call', id: 1, method: 'runs.list', params: {} }));
    expect(await ws.reply(1)).toEqual({
      kind: 'reply',
      id: 1,
      ok: true,
      result: { total: 1, rows: [DIVERGED_ROW] },
    });

    ws.socket.send(
      encodeWire({ kind: 'call', id: 2, method: 'events.subscribe', params: { topic: 'run', key: 'r1' } }),
    );
    await ws.reply(2);
    const event: ApiEvent = {
      topic: 'run',
      runId: 'r1',
      event: {
        type: 'progress',
        step: 7,
        totalSteps: 10,
        loss: Number.POSITIVE_INFINITY,
        accuracy: Number.NaN,
        examplesPerSec: 100,
        etaSec: null,
      },
    };
    s.service.emit({ ...event, runId: 'r2' });
    s.service.emit(event);
    const got = await ws.next((m) => m.kind === 'event');
    expect(got).toEqual({ kind: 'event', event });
    expect(ws.messages.filter((m) => m.kind === 'event')).toHaveLength(1);

    ws.socket.close();
    await ws.closed;
    await expect.poll(() => s.service.closed.length).toBe(1);
  });

  it('keeps one session per socket', async () => {
    const a = await connect(s);
    const b = await connect(s);
    a.socket.send(encodeWire({ kind: 'call', id: 1, method: 'app.info', params: {} }));
    b.socket.send(encodeWire({ kind: 'call', id: 1, method: 'app.info', params: {} }));
    await a.reply(1);
    await b.reply(1);
    expect(new Set(s.service.calls.map((c) => c.session)).size).toBe(2);
    a.socket.close();
    b.socket.close();
  });
});

describe('serve: the page', () => {
  const get = (url: string) => s.app.inject({ method: 'GET', url, headers: { host: s.host } });

  it('says how to build it when out/renderer is missing', async () => {
    const res = await get('/?token=x');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });

  it('serves the built renderer, with index.html for app routes and 404 for missing files', async () => {
    await s.app.close();
    const dir = temp.make();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>NormLab</title><div id="app"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    s = await startServer(dir);
    expect((await get('/')).body).toContain('<div id="app">');
    expect((await get(`/?token=${TOKEN}`)).body).toContain('<div id="app">');
    const route = await get('/runs/r1');
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<div id="app">');
    expect(route.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get('/')).headers['cache-control']).toBe('no-cache');
    const asset = await get('/assets/index-abc.js');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get('/assets/missing.js')).statusCode).toBe(404);
    expect((await get('/api/nothing')).statusCode).toBe(404);
    expect(
      (await s.app.inject({ method: 'GET', url: '/', headers: { host: 'evil.example' } })).statusCode,
    ).toBe(403);
  });
});
