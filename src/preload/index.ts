/**
 * contextBridge: exposes the API contract as `window.normlab` (a NormLabBridge) and nothing else.
 * The page gets two functions, never ipcRenderer itself: `call` sends one WireCall on
 * IPC_CALL_CHANNEL and settles with the reply (Error objects do not cross contextBridge intact, so a
 * failure is a value, not a rejection); `onEvent` forwards the window's subscribed events.
 *
 * The window is sandboxed, so this file is bundled to one CommonJS script that requires only
 * 'electron' (electron.vite.config.ts, preload).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, NormLabBridge, WireCall, WireReply } from '../shared/api';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipcChannels';

let nextId = 1;

const bridge: NormLabBridge = {
  async call(method, params) {
    const call: WireCall = { kind: 'call', id: nextId++, method, params };
    try {
      const reply = (await ipcRenderer.invoke(IPC_CALL_CHANNEL, call)) as WireReply;
      return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
    } catch (e) {
      // The call never reached the API: params that cannot be cloned (a function, a DOM node).
      const reason = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'usage', message: `the call could not be sent: ${reason}` } };
    }
  },
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, apiEvent: ApiEvent): void => listener(apiEvent);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
};

contextBridge.exposeInMainWorld('normlab', bridge);
