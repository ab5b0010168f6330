/**
 * The Electron IPC transport with a fake ipcMain and fake webContents: every malformed payload is
 * refused with an error reply and reaches no handler; good calls are dispatched in the caller's own
 * session; events reach the window that subscribed (NaN and Infinity as they are); a destroyed
 * window's session is closed.
 */
import { describe, expect, it } from 'vitest';
import {
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  type ApiEvent,
  type WireReply,
} from '../../../../src/shared/api';
import {
  attachIpc,
  type IpcInvokeEvent,
  type IpcMainLike,
  type IpcSender,
} from '../../../../src/main/hosts/electron/ipcAdapter';
import { INTERNAL_ERROR_MESSAGE } from '../../../../src/main/hosts/wireCall';
import { DIVERGED_ROW, fakeHostService } from '../../../helpers/fakeHostService';
import { ipcPayload, MALFORMED_CALLS } from '../../../helpers/malformedCalls';

type Listener = (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>;

const APP_URL = 'file:///opt/normlab/out/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would get back from `sender`'s frame at `url`. */
  async invoke(
    sender: FakeContents,
    payload: unknown,
    url = APP_URL,
    extra: unknown[] = [],
  ): Promise<WireReply> {
    const listener = this.handlers.get(IPC_CALL_CHANNEL);
    if (!listener) throw new Error('no handler');
    return (await listener({ sender, senderFrame: { url } }, payload, ...extra)) as WireReply;
  }
}

let nextContentsId = 1;

class FakeContents implements IpcSender {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  private destroyed = false;
  private onDestroyed: (() => void)[] = [];
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('sent to a destroyed webContents');
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  once(_event: 'destroyed', listener: () => void): this {
    this.onDestroyed.push(listener);
    return this;
  }
  destroy(): void {
    this.destroyed = true;
    for (const l of this.onDestroyed.splice(0)) l();
  }
}

function setup() {
  const service = fakeHostService();
  const ipcMain = new FakeIpcMain();
  const logged: string[] = [];
  const adapter = attachIpc({
    ipcMain,
    service,
    log: (m) => void logged.push(m),
    isTrustedFrame: (url) => url.startsWith(APP_URL),
  });
  return { service, ipcMain, adapter, logged, contents: new FakeContents() };
}

describe('IPC adapter: malformed payloads', () => {
  it.each(MALFORMED_CALLS)('refuses $name and runs nothing', async (c) => {
    const { service, ipcMain, contents } = setup();
    const reply = await ipcMain.invoke(contents, ipcPayload(c));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('usage');
    expect(reply.id).toBe(c.answer === 'reply' ? c.id : -1);
    expect(service.calls).toEqual([]);
  });

  it('refuses a payload JSON cannot hold (a cycle) and extra arguments', async () => {
    const { service, ipcMain, contents } = setup();
    const cyclic: Record<string, unknown> = { kind: 'call', id: 1, method: 'app.info' };
    cyclic['params'] = cyclic;
    expect((await ipcMain.invoke(contents, cyclic)).ok).toBe(false);
    const call = { kind: 'call', id: 2, method: 'app.info', params: {} };
    expect((await ipcMain.invoke(contents, call, APP_URL, ['more'])).ok).toBe(false);
    expect(service.calls).toEqual([]);
  });

  it('refuses calls from a frame that is not the app page', async () => {
    const { service, ipcMain, contents, logged } = setup();
    const call = { kind: 'call', id: 1, method: 'app.info', params: {} };
    for (const url of ['https://evil.example/', 'file:///tmp/other.html']) {
      const reply = await ipcMain.invoke(contents, call, url);
      expect(reply.ok).toBe(false);
    }
    expect(service.calls).toEqual([]);
    expect(logged.join('\n')).toContain('evil.example');
  });
});

describe('IPC adapter: calls and events', () => {
  it('dispatches a good call and answers with its result, defaults filled in', async () => {
    const { service, ipcMain, contents } = setup();
    const reply = await ipcMain.invoke(contents, { kind: 'call', id: 5, method: 'runs.list', params: {} });
    expect(reply).toEqual({ kind: 'reply', id: 5, ok: true, result: { total: 1, rows: [DIVERGED_ROW] } });
    // NaN and Infinity cross structured clone as they are: the reply holds them untouched.
    const rows = (reply as { result: { rows: (typeof DIVERGED_ROW)[] } }).result.rows;
    expect(rows[0]?.final.trainLoss).toBeNaN();
    expect(service.calls).toHaveLength(1);
    expect(service.calls[0]?.params).toMatchObject({ sort: 'created', order: 'desc', limit: 200 });
  });

  it('answers a UserError with its code and message, an internal error with a generic one', async () => {
    const { service, ipcMain, contents, logged } = setup();
    const notFound = await ipcMain.invoke(contents, {
      kind: 'call',
      id: 1,
      method: 'runs.get',
      params: { runId: 'x' },
    });
    expect(notFound).toMatchObject({ ok: false, error: { code: 'not-found', message: 'no run x' } });
    service.override('app.info', () => {
      throw new Error('secret path /home/me/.db exploded');
    });
    const internal = await ipcMain.invoke(contents, { kind: 'call', id: 2, method: 'app.info', params: {} });
    expect(internal).toEqual({
      kind: 'reply',
      id: 2,
      ok: false,
      error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE },
    });
    expect(logged.some((l) => l.includes('app.info'))).toBe(true);
  });

  it('keeps one session per webContents; events go to the window that subscribed', async () => {
    const { service, ipcMain, contents } = setup();
    const other = new FakeContents();
    await ipcMain.invoke(contents, {
      kind: 'call',
      id: 1,
      method: 'events.subscribe',
      params: { topic: 'run', key: 'r1' },
    });
    await ipcMain.invoke(contents, { kind: 'call', id: 2, method: 'app.info', params: {} });
    await ipcMain.invoke(other, { kind: 'call', id: 1, method: 'app.info', params: {} });
    expect(service.sessions.size).toBe(2);
    expect(service.calls[0]?.session).toBe(service.calls[1]?.session);
    expect(service.calls[2]?.session).not.toBe(service.calls[0]?.session);

    const event: ApiEvent = {
      topic: 'run',
      runId: 'r1',
      event: { type: 'metrics', points: [{ series: 'train/loss', step: 3, value: Number.NaN }] },
    };
    service.emit(event);
    service.emit({ ...event, runId: 'r2' });
    expect(contents.sent).toEqual([{ channel: IPC_EVENT_CHANNEL, args: [event] }]);
    expect(other.sent).toEqual([]);
  });

  it('closes a window’s session when its webContents is destroyed, and all on dispose', async () => {
    const { service, ipcMain, contents, adapter } = setup();
    const other = new FakeContents();
    await ipcMain.invoke(contents, { kind: 'call', id: 1, method: 'app.info', params: {} });
    await ipcMain.invoke(other, { kind: 'call', id: 1, method: 'app.info', params: {} });
    contents.destroy();
    expect(service.closed).toHaveLength(1);
    expect(adapter.sessionCount()).toBe(1);
    service.emit({ topic: 'runs', change: { kind: 'deleted', runId: 'r1' } });
    adapter.dispose();
    expect(service.closed).toHaveLength(2);
    expect(ipcMain.handlers.size).toBe(0);
    other.destroy();
    expect(service.closed).toHaveLength(2);
  });
});
