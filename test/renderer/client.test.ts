// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeWire, encodeWire, type ApiEvent, type NormLabBridge } from '../../src/shared/api';
import {
  ApiCallError,
  createBridgeClient,
  createWsClient,
  serveSocketUrl,
  takeServeToken,
  type SocketLike,
} from '../../src/renderer/src/api/client';

/** A WebSocket stand-in: records frames, and lets the test open, answer and drop it. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  sent: { id: number; method: string; params: unknown }[] = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(decodeWire(data) as { id: number; method: string; params: unknown });
  }
  close(code = 1000): void {
    this.drop(code);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  reply(id: number, result: unknown): void {
    this.onmessage?.({ data: encodeWire({ kind: 'reply', id, ok: true, result }) });
  }
  fail(id: number, code: string, message: string): void {
    this.onmessage?.({ data: encodeWire({ kind: 'reply', id, ok: false, error: { code, message } }) });
  }
  emit(event: ApiEvent): void {
    this.onmessage?.({ data: encodeWire({ kind: 'event', event }) });
  }
  last() {
    const frame = this.sent.at(-1);
    if (!frame) throw new Error('nothing sent');
    return frame;
  }
}

function wsClient() {
  FakeSocket.all = [];
  const client = createWsClient({
    url: 'ws://h/api/ws?token=t',
    createSocket: (url) => new FakeSocket(url),
    backoffMs: () => 10,
    connectWaitMs: 200,
  });
  const socket = () => {
    const s = FakeSocket.all.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  return { client, socket };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WebSocket client', () => {
  it('answers calls by id, NaN included, and rejects with the host error code', async () => {
    const { client, socket } = wsClient();
    socket().open();
    const a = client.call('queue.get', {});
    const b = client.call('runs.get', { runId: 'nope' });
    const [fa, fb] = socket().sent;
    expect(fa?.method).toBe('queue.get');
    expect(fb?.params).toEqual({ runId: 'nope' });
    socket().fail(fb?.id ?? -1, 'not-found', 'no run nope');
    socket().reply(fa?.id ?? -1, { poolSize: 1, running: [], queued: [], nan: NaN });
    await expect(a).resolves.toMatchObject({ poolSize: 1, nan: NaN });
    const error = await b.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).code).toBe('not-found');
    expect((error as ApiCallError).message).toBe('no run nope');
    client.close();
  });

  it('holds calls made before the socket opens and sends them on open', async () => {
    const { client, socket } = wsClient();
    const p = client.call('app.info', {});
    expect(socket().sent).toHaveLength(0);
    socket().open();
    expect(socket().last().method).toBe('app.info');
    socket().reply(socket().last().id, { version: '1' });
    await expect(p).resolves.toEqual({ version: '1' });
    client.close();
  });

  it('fails a waiting call with a network error when no connection comes', async () => {
    const { client } = wsClient();
    const error = await client.call('app.info', {}).catch((e: unknown) => e);
    expect((error as ApiCallError).code).toBe('network');
    client.close();
  });

  it('counts subscriptions: the host hears the first subscribe and the last unsubscribe', async () => {
    const { client, socket } = wsClient();
    socket().open();
    const s1 = client.call('events.subscribe', { topic: 'runs' });
    socket().reply(socket().last().id, { ok: true });
    await s1;
    await client.call('events.subscribe', { topic: 'runs' });
    expect(socket().sent.filter((f) => f.method === 'events.subscribe')).toHaveLength(1);
    await client.call('events.unsubscribe', { topic: 'runs' });
    expect(socket().sent.filter((f) => f.method === 'events.unsubscribe')).toHaveLength(0);
    const u = client.call('events.unsubscribe', { topic: 'runs' });
    socket().reply(socket().last().id, { ok: true });
    await u;
    expect(socket().sent.filter((f) => f.method === 'events.unsubscribe')).toHaveLength(1);
    client.close();
  });

  it('reconnects after a drop, says so, rejects the calls in flight and subscribes again', async () => {
    const { client, socket } = wsClient();
    const states: string[] = [];
    client.onConnection((s) => states.push(s.state));
    socket().open();
    const sub = client.call('events.subscribe', { topic: 'run', key: 'r1' });
    socket().reply(socket().last().id, { ok: true });
    await sub;
    const inFlight = client.call('runs.list', {});
    const first = socket();
    first.drop();
    expect(((await inFlight.catch((e: unknown) => e)) as ApiCallError).code).toBe('network');
    expect(client.connection().state).toBe('closed');
    expect(client.connection().reason).toMatch(/cannot be reached/);
    await vi.waitFor(() => expect(FakeSocket.all.length).toBe(2));
    socket().open();
    expect(socket().sent).toEqual([
      expect.objectContaining({ method: 'events.subscribe', params: { topic: 'run', key: 'r1' } }),
    ]);
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
    client.close();
  });

  it('asks again for a stream whose subscribe failed for want of a connection', async () => {
    const { client, socket } = wsClient();
    const failed = await client.call('events.subscribe', { topic: 'runs' }).catch((e: unknown) => e);
    expect((failed as ApiCallError).code).toBe('network');
    socket().drop();
    await vi.waitFor(() => expect(FakeSocket.all.length).toBe(2));
    socket().open();
    expect(socket().sent).toEqual([
      expect.objectContaining({ method: 'events.subscribe', params: { topic: 'runs' } }),
    ]);
    client.close();
  });

  it('hands events to every listener until it stops listening', () => {
    const { client, socket } = wsClient();
    socket().open();
    const seen: ApiEvent[] = [];
    const stop = client.onEvent((e) => seen.push(e));
    const event: ApiEvent = { topic: 'run', runId: 'r1', event: { type: 'status', status: 'running' } };
    socket().emit(event);
    stop();
    socket().emit(event);
    expect(seen).toEqual([event]);
    client.close();
  });
});

describe('Electron bridge client', () => {
  it('turns settled replies into results and ApiCallErrors', async () => {
    const bridge: NormLabBridge = {
      call: async (method) =>
        method === 'app.info'
          ? { ok: true, result: { version: '1' } }
          : { ok: false, error: { code: 'usage', message: 'bad params' } },
      onEvent: () => () => undefined,
    };
    const client = createBridgeClient(bridge);
    await expect(client.call('app.info', {})).resolves.toEqual({ version: '1' });
    await expect(client.call('queue.get', {})).rejects.toMatchObject({
      code: 'usage',
      message: 'bad params',
    });
    expect(client.connection().state).toBe('open');
  });
});

describe('serve token', () => {
  it('is taken from the URL once, kept for the session and removed from the address', () => {
    window.history.replaceState(null, '', '/?token=abc123#/runs');
    expect(takeServeToken()).toBe('abc123');
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#/runs');
    expect(takeServeToken()).toBe('abc123');
    expect(serveSocketUrl(window.location, 'abc123')).toMatch(/^ws:\/\/[^/]+\/api\/ws\?token=abc123$/);
  });
});
