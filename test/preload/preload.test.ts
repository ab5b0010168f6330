/**
 * The preload with a fake `electron`: it exposes `window.normlab` and nothing else, and over a fake
 * IPC wired to the real IPC adapter (and a fake service) a call goes through and settles, a refused
 * call settles as an error (never a rejection), and subscribed events reach onEvent listeners until
 * they unsubscribe.
 */
import type { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL, type ApiEvent, type NormLabBridge } from '../../src/shared/api';
import { attachIpc, type IpcInvokeEvent, type IpcSender } from '../../src/main/hosts/electron/ipcAdapter';
import { DIVERGED_ROW, fakeHostService } from '../helpers/fakeHostService';

const exposed = vi.hoisted(() => new Map<string, unknown>());
const ipc = vi.hoisted(() => ({
  handler: undefined as undefined | ((event: unknown, ...args: unknown[]) => Promise<unknown>),
  renderer: undefined as undefined | EventEmitter,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const renderer = new Emitter();
  ipc.renderer = renderer;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        if (channel !== IPC_CALL_CHANNEL || !ipc.handler)
          throw new Error(`No handler registered for '${channel}'`);
        // Structured clone, as IPC does: functions cannot cross.
        return await ipc.handler(sender.event, ...args.map((a) => structuredClone(a)));
      },
      on: (channel: string, l: (...a: unknown[]) => void) => renderer.on(channel, l),
      removeListener: (channel: string, l: (...a: unknown[]) => void) => renderer.removeListener(channel, l),
    },
  };
});

/** The window's webContents as the main process sees it: what it sends arrives in the preload. */
const sender = vi.hoisted(() => {
  const contents = {
    id: 1,
    send: (channel: string, ...args: unknown[]) => void ipc.renderer?.emit(channel, {}, ...args),
    isDestroyed: () => false,
    once: () => contents,
  };
  return { contents, event: { sender: contents, senderFrame: { url: 'file:///app/index.html' } } };
});

const service = fakeHostService();
let bridge: NormLabBridge;

beforeAll(async () => {
  attachIpc({
    ipcMain: {
      handle: (_channel, listener) => {
        ipc.handler = listener as (event: unknown, ...args: unknown[]) => Promise<unknown>;
      },
      removeHandler: () => {},
    },
    service,
    log: () => {},
    isTrustedFrame: (url) => url === 'file:///app/index.html',
  });
  void (sender.contents satisfies IpcSender);
  void (sender.event satisfies IpcInvokeEvent);
  await import('../../src/preload/index');
  bridge = exposed.get('normlab') as NormLabBridge;
});

describe('preload', () => {
  it('exposes window.normlab with call and onEvent, nothing else', () => {
    expect([...exposed.keys()]).toEqual(['normlab']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent']);
  });

  it('settles a call with its result (NaN intact over structured clone)', async () => {
    const reply = await bridge.call('runs.list', {});
    expect(reply).toEqual({ ok: true, result: { total: 1, rows: [DIVERGED_ROW] } });
  });

  it('settles refused calls as errors, never rejections', async () => {
    expect(await bridge.call('runs.nuke', {})).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await bridge.call('runs.get', { runId: 5 })).toMatchObject({
      ok: false,
      error: { code: 'usage' },
    });
    expect(await bridge.call('runs.get', { runId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    const uncloneable = await bridge.call('app.info', { f: () => 1 });
    expect(uncloneable).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(service.calls.map((c) => c.method)).toEqual(['runs.list', 'runs.get']);
  });

  it('forwards subscribed events to listeners until they unsubscribe', async () => {
    const got: ApiEvent[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    await bridge.call('events.subscribe', { topic: 'runs' });
    const event: ApiEvent = { topic: 'runs', change: { kind: 'deleted', runId: 'r9' } };
    service.emit(event);
    off();
    service.emit(event);
    expect(got).toEqual([event]);
    expect((ipc.renderer as EventEmitter).listenerCount('normlab:event')).toBe(0);
  });
});
