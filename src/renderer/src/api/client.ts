/**
 * The renderer's one way to the host: a NormLabClient (src/shared/api.ts) over
 * - `window.normlab` (the Electron preload's NormLabBridge) when it exists, or
 * - a WebSocket to `/api/ws?token=...` on the page's own origin (`normlab serve`).
 *
 * Both transports behave alike for the views:
 * - `call` resolves with the result or rejects with an ApiCallError carrying the ErrorInfo `code`
 *   ('config', 'not-found', ... or 'internal'; 'network' when the connection dropped);
 * - `events.subscribe` / `events.unsubscribe` are reference-counted per stream here, because the
 *   host keeps one subscription per stream and session: two views watching the 'runs' table and
 *   one leaving must not silence the other. The WebSocket client re-subscribes after a reconnect.
 * - `connection()` / `onConnection()` give the state the app badge shows.
 *
 * The serve token arrives in the page URL (`?token=...`, as Jupyter does); it is kept in
 * sessionStorage and removed from the visible URL so it does not end up in screenshots or history.
 */
import type {
  ApiEvent,
  ApiMethodName,
  ApiParams,
  ApiResult,
  NormLabBridge,
  NormLabClient,
  Subscription,
  WireMessage,
} from '../../../shared/api';
import { decodeWire, encodeWire } from '../../../shared/wireCodec';
import type { ErrorInfo } from '../../../shared/errors';
import { errorText } from '../format/errorText';

/** A rejected call: the host's ErrorInfo, or 'network' when the connection failed before a reply. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly code: ErrorInfo['code'] | 'network',
    message: string,
    readonly method?: string,
  ) {
    super(message);
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** When the state last changed (ms since the epoch). */
  since: number;
  /** Reconnect attempts since the connection was last open. */
  attempts: number;
  /** Why the connection is not open, when known. */
  reason?: string;
}

/** What the views use: the contract's client plus the connection state and its transport. */
export interface RendererClient extends NormLabClient {
  readonly transport: 'ipc' | 'websocket';
  connection(): ConnectionStatus;
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

function subscriptionKey(s: Subscription): string {
  return 'key' in s ? `${s.topic}:${s.key}` : s.topic;
}

/**
 * Reference counts of the streams this page wants. `acquire` answers whether the host must be told
 * (first holder), `release` whether it must be told to stop (last holder gone).
 */
class Subscriptions {
  private readonly counts = new Map<string, { sub: Subscription; count: number }>();

  acquire(sub: Subscription): boolean {
    const key = subscriptionKey(sub);
    const entry = this.counts.get(key);
    if (entry) {
      entry.count++;
      return false;
    }
    this.counts.set(key, { sub, count: 1 });
    return true;
  }

  release(sub: Subscription): boolean {
    const key = subscriptionKey(sub);
    const entry = this.counts.get(key);
    if (!entry) return false;
    entry.count--;
    if (entry.count > 0) return false;
    this.counts.delete(key);
    return true;
  }

  all(): Subscription[] {
    return [...this.counts.values()].map((e) => e.sub);
  }
}

type Listener<T> = (value: T) => void;

class Listeners<T> {
  private readonly set = new Set<Listener<T>>();
  add(listener: Listener<T>): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (e) {
        console.error('NormLab: an event listener failed', e);
      }
    }
  }
}

type Transport = (method: string, params: unknown) => Promise<unknown>;

/** Adds reference-counted subscriptions on top of a raw transport. */
function subscribingCall(
  subs: Subscriptions,
  send: Transport,
): <M extends ApiMethodName>(method: M, params: ApiParams<M>) => Promise<ApiResult<M>> {
  return async <M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    if (method === 'events.subscribe') {
      const sub = params as Subscription;
      if (!subs.acquire(sub)) return { ok: true } as ApiResult<M>;
      try {
        return (await send(method, params)) as ApiResult<M>;
      } catch (e) {
        // Not connected: the stream stays wanted and is asked for again on the next connection.
        if (!(e instanceof ApiCallError && e.code === 'network')) subs.release(sub);
        throw e;
      }
    }
    if (method === 'events.unsubscribe') {
      if (!subs.release(params as Subscription)) return { ok: true } as ApiResult<M>;
    }
    return (await send(method, params)) as ApiResult<M>;
  };
}

// ---- Electron: over the preload bridge ---------------------------------------------------------

export function createBridgeClient(bridge: NormLabBridge): RendererClient {
  const subs = new Subscriptions();
  const status: ConnectionStatus = { state: 'open', since: Date.now(), attempts: 0 };
  const send: Transport = async (method, params) => {
    const reply = await bridge.call(method, params);
    if (reply.ok) return reply.result;
    throw new ApiCallError(reply.error.code, reply.error.message, method);
  };
  return {
    transport: 'ipc',
    call: subscribingCall(subs, send),
    onEvent: (listener) => bridge.onEvent(listener),
    connection: () => ({ ...status }),
    onConnection: () => () => undefined,
    close: () => undefined,
  };
}

// ---- serve: over a WebSocket -------------------------------------------------------------------

/** The subset of the DOM WebSocket the client uses (a fake one stands in for it in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Backoff before reconnect attempt n (0-based), ms. Default 250 ms doubling to 5 s, with jitter. */
  backoffMs?: (attempt: number) => number;
  /** How long a call made while disconnected waits for the connection before it fails, ms. */
  connectWaitMs?: number;
  /** How long a sent call waits for its reply, ms (0: forever). */
  replyTimeoutMs?: number;
}

const OPEN = 1;

function defaultBackoff(attempt: number): number {
  const base = Math.min(5000, 250 * 2 ** attempt);
  return base * (0.75 + Math.random() * 0.5);
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: string;
  timer?: ReturnType<typeof setTimeout>;
}

interface Waiting {
  frame: { id: number; method: string; params: unknown };
  pending: Pending;
  timer: ReturnType<typeof setTimeout>;
}

export function createWsClient(options: WsClientOptions): RendererClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoffMs ?? defaultBackoff;
  const connectWaitMs = options.connectWaitMs ?? 15_000;
  const replyTimeoutMs = options.replyTimeoutMs ?? 0;

  const subs = new Subscriptions();
  const events = new Listeners<ApiEvent>();
  const connectionListeners = new Listeners<ConnectionStatus>();
  const pending = new Map<number, Pending>();
  const waiting: Waiting[] = [];
  let status: ConnectionStatus = { state: 'connecting', since: Date.now(), attempts: 0 };
  let socket: SocketLike | null = null;
  let nextId = 1;
  let closedByUs = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function setStatus(state: ConnectionState, reason?: string): void {
    const attempts = state === 'open' ? 0 : status.attempts;
    const changed = status.state !== state || status.reason !== reason;
    status = { state, since: changed ? Date.now() : status.since, attempts, ...(reason ? { reason } : {}) };
    if (changed) connectionListeners.emit({ ...status });
  }

  function transmit(frame: { id: number; method: string; params: unknown }, p: Pending): void {
    pending.set(frame.id, p);
    if (replyTimeoutMs > 0) {
      p.timer = setTimeout(() => {
        pending.delete(frame.id);
        p.reject(
          new ApiCallError('network', `no reply to ${p.method} within ${replyTimeoutMs} ms`, p.method),
        );
      }, replyTimeoutMs);
    }
    socket?.send(encodeWire({ kind: 'call', ...frame }));
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WireMessage;
    try {
      message = decodeWire(data) as WireMessage;
    } catch {
      console.error('NormLab: a message from the server is not JSON', data.slice(0, 200));
      return;
    }
    if (message.kind === 'event') {
      events.emit(message.event);
      return;
    }
    if (message.kind !== 'reply') return;
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (p.timer) clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new ApiCallError(message.error.code, message.error.message, p.method));
  }

  function failPending(reason: string): void {
    for (const [id, p] of pending) {
      pending.delete(id);
      if (p.timer) clearTimeout(p.timer);
      p.reject(
        new ApiCallError('network', `connection lost before ${p.method} answered (${reason})`, p.method),
      );
    }
  }

  function connect(): void {
    reconnectTimer = null;
    setStatus('connecting', status.reason);
    let ws: SocketLike;
    try {
      ws = createSocket(options.url);
    } catch (e) {
      scheduleReconnect(errorText(e));
      return;
    }
    socket = ws;
    ws.onopen = () => {
      setStatus('open');
      // Streams first, so no event of a call answered next is missed. Subscriptions made while
      // disconnected are among the waiting calls already.
      const queued = new Set(
        waiting
          .filter((w) => w.frame.method === 'events.subscribe')
          .map((w) => subscriptionKey(w.frame.params as Subscription)),
      );
      for (const sub of subs.all()) {
        if (queued.has(subscriptionKey(sub))) continue;
        const id = nextId++;
        transmit(
          { id, method: 'events.subscribe', params: sub },
          { method: 'events.subscribe', resolve: () => undefined, reject: () => undefined },
        );
      }
      for (const w of waiting.splice(0)) {
        clearTimeout(w.timer);
        transmit(w.frame, w.pending);
      }
    };
    ws.onmessage = (ev) => onMessage(ev.data);
    ws.onerror = () => undefined; // onclose follows with the code
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      const reason = describeClose(ev.code, ev.reason);
      failPending(reason);
      if (closedByUs) {
        setStatus('closed', 'closed');
        return;
      }
      scheduleReconnect(reason);
    };
  }

  function scheduleReconnect(reason: string): void {
    const attempt = status.attempts;
    status = { ...status, attempts: attempt + 1 };
    setStatus('closed', reason);
    reconnectTimer = setTimeout(connect, backoff(attempt));
  }

  function send(method: string, params: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const frame = { id: nextId++, method, params };
      const p: Pending = { resolve, reject, method };
      if (socket && socket.readyState === OPEN) {
        transmit(frame, p);
        return;
      }
      if (closedByUs) {
        reject(new ApiCallError('network', 'the client was closed', method));
        return;
      }
      const w: Waiting = {
        frame,
        pending: p,
        timer: setTimeout(() => {
          const i = waiting.indexOf(w);
          if (i >= 0) waiting.splice(i, 1);
          reject(
            new ApiCallError(
              'network',
              `not connected to NormLab (${status.reason ?? 'connecting'}); ${method} was not sent`,
              method,
            ),
          );
        }, connectWaitMs),
      };
      waiting.push(w);
    });
  }

  connect();

  return {
    transport: 'websocket',
    call: subscribingCall(subs, send),
    onEvent: (listener) => events.add(listener),
    connection: () => ({ ...status }),
    onConnection: (listener) => connectionListeners.add(listener),
    close: () => {
      closedByUs = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const w of waiting.splice(0)) {
        clearTimeout(w.timer);
        w.pending.reject(new ApiCallError('network', 'the client was closed', w.frame.method));
      }
      socket?.close(1000, 'client closed');
      if (!socket) setStatus('closed', 'closed');
    },
  };
}

function describeClose(code: number, reason: string): string {
  if (reason) return reason;
  if (code === 1006) return 'the server cannot be reached';
  if (code === 1008 || code === 4401)
    return 'the server refused the token: open the URL normlab serve printed';
  if (code === 1001) return 'the server is going away';
  return `closed (code ${code})`;
}

// ---- the serve token ---------------------------------------------------------------------------

const TOKEN_KEY = 'normlab.token';

/**
 * The serve token: from the page URL's `token` parameter (first load) or sessionStorage (reloads,
 * route changes). A token found in the URL is stored and removed from the visible address.
 */
export function takeServeToken(
  loc: Location = window.location,
  storage: Storage = window.sessionStorage,
): string | null {
  const url = new URL(loc.href);
  let token = url.searchParams.get('token');
  if (token !== null) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  } else {
    // A token pasted after the hash (`#/runs?token=...`) counts too.
    const hashQuery = url.hash.indexOf('?');
    if (hashQuery >= 0) {
      const hashParams = new URLSearchParams(url.hash.slice(hashQuery + 1));
      token = hashParams.get('token');
      if (token !== null) {
        hashParams.delete('token');
        const rest = hashParams.toString();
        const hash = url.hash.slice(0, hashQuery) + (rest ? `?${rest}` : '');
        window.history.replaceState(window.history.state, '', url.pathname + url.search + hash);
      }
    }
  }
  if (token) {
    try {
      storage.setItem(TOKEN_KEY, token);
    } catch {
      // storage disabled: the token lives as long as this page
    }
    return token;
  }
  try {
    return storage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function serveSocketUrl(loc: Location, token: string | null): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${loc.host}/api/ws${query}`;
}

// ---- the page's client -------------------------------------------------------------------------

let client: RendererClient | null = null;

function bridgeOf(w: Window): NormLabBridge | null {
  const candidate = (w as Window & { normlab?: Partial<NormLabBridge> }).normlab;
  return candidate && typeof candidate.call === 'function' && typeof candidate.onEvent === 'function'
    ? (candidate as NormLabBridge)
    : null;
}

/** True inside the Electron app (the main process shows OS notifications itself there). */
export function isElectron(): boolean {
  return bridgeOf(window) !== null;
}

/** The page's one client (created on first use). */
export function getClient(): RendererClient {
  if (client) return client;
  const bridge = bridgeOf(window);
  client = bridge
    ? createBridgeClient(bridge)
    : createWsClient({ url: serveSocketUrl(window.location, takeServeToken()) });
  return client;
}

/** Replaces the page's client (component tests install a fake). */
export function setClient(c: RendererClient | null): void {
  client = c;
}
