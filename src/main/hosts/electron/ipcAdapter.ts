/**
 * The Electron transport, free of any `electron` import so it runs under plain Node in tests with a
 * fake ipcMain: `invoke(IPC_CALL_CHANNEL, WireCall)` from the preload is checked and dispatched, and
 * answered with a WireReply; events of a window's subscriptions go to it on IPC_EVENT_CHANNEL. One
 * ApiSession per webContents, closed when the webContents is destroyed. Structured clone carries
 * NaN and +-Infinity as they are, so no encoding is needed here.
 */
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type ApiEvent, type WireReply } from '../../../shared/api';
import type { ApiSession } from '../../api/dispatch';
import type { HostService } from '../hostService';
import { answerCall, MAX_CALL_BYTES, parseWireCall, refusal, type HostLog } from '../wireCall';

/** The part of a WebContents the adapter uses. */
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The part of an IpcMainInvokeEvent the adapter uses. */
export interface IpcInvokeEvent {
  readonly sender: IpcSender;
  /** The frame that called; only a window's own top frame may call (null once it is gone). */
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of ipcMain the adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMainLike;
  service: HostService;
  log: HostLog;
  /**
   * Whether a call comes from NormLab's own page (the app's file:// page or the dev server), so
   * that a page that was somehow navigated elsewhere cannot use the API.
   */
  isTrustedFrame(url: string): boolean;
}

export interface IpcAdapter {
  /** Sessions open now (one per webContents that has called). */
  sessionCount(): number;
  /** Closes every session and stops answering. */
  dispose(): void;
}

/**
 * The size of a payload as JSON, to refuse oversized calls before they are validated; a payload
 * JSON cannot hold (a cycle, a BigInt) is refused too.
 */
function jsonSize(payload: unknown): number {
  try {
    return JSON.stringify(payload)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function attachIpc(options: IpcAdapterOptions): IpcAdapter {
  const { ipcMain, service, log } = options;
  const sessions = new Map<number, ApiSession>();

  const sessionOf = (sender: IpcSender): ApiSession => {
    let session = sessions.get(sender.id);
    if (session === undefined) {
      const deliver = (event: ApiEvent): void => {
        if (!sender.isDestroyed()) sender.send(IPC_EVENT_CHANNEL, event);
      };
      const opened = service.openSession(deliver);
      session = opened;
      sessions.set(sender.id, opened);
      sender.once('destroyed', () => {
        // After dispose() the session is already closed.
        if (sessions.get(sender.id) !== opened) return;
        sessions.delete(sender.id);
        service.closeSession(opened);
      });
    }
    return session;
  };

  ipcMain.handle(IPC_CALL_CHANNEL, async (event, ...args): Promise<WireReply> => {
    const frameUrl = event.senderFrame?.url;
    if (frameUrl === undefined || !options.isTrustedFrame(frameUrl)) {
      log(`refused an API call from ${frameUrl ?? 'a frame that is gone'}`);
      return refusal(null, { code: 'usage', message: 'API calls are only answered for NormLab’s own page' });
    }
    if (args.length !== 1) {
      return refusal(null, { code: 'usage', message: 'an API call is one WireCall argument' });
    }
    const payload = args[0];
    if (jsonSize(payload) > MAX_CALL_BYTES) {
      return refusal(null, {
        code: 'usage',
        message: `an API call may be at most ${MAX_CALL_BYTES} bytes of JSON`,
      });
    }
    const parsed = parseWireCall(payload);
    if (!parsed.ok) return refusal(parsed.id, parsed.error);
    return await answerCall(service.handlers, sessionOf(event.sender), parsed.call, log);
  });

  return {
    sessionCount: () => sessions.size,
    dispose: () => {
      ipcMain.removeHandler(IPC_CALL_CHANNEL);
      for (const session of sessions.values()) service.closeSession(session);
      sessions.clear();
    },
  };
}
