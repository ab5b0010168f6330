/**
 * `normlab serve`'s HTTP and WebSocket server (fastify): the built renderer as static files, and the
 * API contract at
 * - `GET /api/ws` (WebSocket): WireCall frames in, WireReply frames out, plus `{kind:'event'}` frames
 *   for the socket's subscriptions (one ApiSession per socket);
 * - `POST /api/call/:method` (JSON body = params) for scripts and curl; it answers
 *   `{ok:true, result}` or `{ok:false, error}`.
 * Every frame and body is JSON written with encodeWire (NaN and +-Infinity survive). Access checks
 * are in ./security.ts; the server itself only moves calls to dispatch and answers back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { decodeWire, encodeWire, type WireMessage, type WireReply } from '../../../shared/api';
import { isUserError, type ErrorInfo } from '../../../shared/errors';
import { contentSecurityPolicy } from '../contentSecurityPolicy';
import type { HostService } from '../hostService';
import { answerCall, clientError, MAX_CALL_BYTES, parseWireCall, refusal, type HostLog } from '../wireCall';
import { checkHostAndOrigin, requestToken, tokenMatches } from './security';

export interface ServeAppOptions {
  service: HostService;
  /** The secret every API request must carry. */
  token: string;
  /** The Host header values accepted (read per request: the port is known only once listening). */
  allowedHosts: () => ReadonlySet<string>;
  /** The built renderer (out/renderer); a page saying how to build it is served when it is missing. */
  rendererDir: string;
  log: HostLog;
}

/** WebSocket close codes (RFC 6455): a frame that is not even a call, a binary frame. */
export const WS_POLICY_VIOLATION = 1008;
export const WS_UNSUPPORTED_DATA = 1003;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NormLab</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>NormLab's page is not built</h1>
<p>The server is running, but the app's page (out/renderer) is missing. In the NormLab folder run
<code>npm run build</code>, then reload this page.</p>
</body></html>
`;

/** HTTP status for a refused call: the caller's mistake (4xx) or ours (500). */
function statusOf(error: ErrorInfo): number {
  if (error.code === 'internal') return 500;
  return error.code === 'not-found' ? 404 : 400;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(encodeWire(body));
}

function refuse(reply: FastifyReply, status: number, error: ErrorInfo): FastifyReply {
  return sendJson(reply, status, { ok: false, error });
}

function apiRoutes(app: FastifyInstance, options: ServeAppOptions): void {
  const { service, log } = options;

  // Every API route, the WebSocket upgrade included: hooks run before fastify-websocket upgrades.
  app.addHook('onRequest', async (request, reply) => {
    const token = requestToken(request.headers, request.query);
    if (!tokenMatches(options.token, token)) {
      return refuse(reply, 401, {
        code: 'usage',
        message:
          token === undefined
            ? 'missing token: open the URL normlab serve printed (it ends in ?token=...)'
            : 'wrong token: open the URL this normlab serve printed',
      });
    }
    void reply.header('Cache-Control', 'no-store');
  });

  // JSON bodies read with decodeWire, so scripts can send NaN as {"$nonfinite":"NaN"} too.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_CALL_BYTES },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, decodeWire(text));
      } catch {
        done(Object.assign(new Error('the request body is not JSON'), { statusCode: 400 }), undefined);
      }
    },
  );

  app.post<{ Params: { method: string } }>('/api/call/:method', async (request, reply) => {
    const session = service.openSession(() => {});
    try {
      const answer = await answerCall(
        service.handlers,
        session,
        { kind: 'call', id: 0, method: request.params.method, params: request.body ?? {} },
        log,
      );
      return answer.ok
        ? sendJson(reply, 200, { ok: true, result: answer.result })
        : sendJson(reply, statusOf(answer.error), { ok: false, error: answer.error });
    } finally {
      service.closeSession(session);
    }
  });

  app.get('/api/ws', { websocket: true }, (socket, request) => serveSocket(socket, request, options));
}

/** One WebSocket: one ApiSession, its calls answered, its subscribed events forwarded. */
function serveSocket(socket: WebSocket, request: FastifyRequest, options: ServeAppOptions): void {
  const { service, log } = options;
  const send = (message: WireMessage): void => {
    if (socket.readyState !== socket.OPEN) return;
    let text: string;
    try {
      text = encodeWire(message);
    } catch (e) {
      if (message.kind !== 'reply') return void log('an event could not be encoded', e);
      text = encodeWire(refusal(message.id, clientError(e, log, 'encoding a reply')));
    }
    socket.send(text);
  };
  const session = service.openSession((event) => send({ kind: 'event', event }));
  socket.on('close', () => service.closeSession(session));
  socket.on('error', (e) => log(`WebSocket from ${request.ip}`, e));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return socket.close(WS_UNSUPPORTED_DATA, 'frames are JSON text');
    let frame: unknown;
    try {
      frame = decodeWire(rawText(data));
    } catch {
      return socket.close(WS_POLICY_VIOLATION, 'a frame that is not JSON');
    }
    const parsed = parseWireCall(frame);
    if (!parsed.ok) {
      if (parsed.id === null) return socket.close(WS_POLICY_VIOLATION, 'a frame that is not a call');
      return send(refusal(parsed.id, parsed.error));
    }
    void answerCall(service.handlers, session, parsed.call, log).then((reply: WireReply) => send(reply));
  });
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function staticRoutes(app: FastifyInstance, rendererDir: string): void {
  const built = existsSync(join(rendererDir, 'index.html'));
  if (!built) {
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) return sendJson(reply, 404, notFound(request));
      return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    });
    return;
  }
  void app.register(fastifyStatic, {
    root: rendererDir,
    wildcard: true,
    cacheControl: false,
    // Built assets carry a content hash in their names; index.html must be fetched anew after a build.
    setHeaders: (reply, path) => {
      const hashed = /[\\/]assets[\\/]/.test(path);
      void reply.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // A path of the single-page app (/runs/abc) gets index.html; a missing asset (/x.js) a 404.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]+$/i.test(path);
    if (isPage && !path.startsWith('/api/')) return reply.sendFile('index.html');
    return sendJson(reply, 404, notFound(request));
  });
}

function notFound(request: FastifyRequest): { ok: false; error: ErrorInfo } {
  return {
    ok: false,
    error: { code: 'not-found', message: `nothing at ${request.method} ${request.url.split('?')[0]}` },
  };
}

/** How long open WebSockets get to close politely when the server stops. */
const SOCKET_CLOSE_MS = 1000;

/**
 * Closes every WebSocket (1001 "going away") and waits until each has closed, so that their
 * sessions are closed before the service shuts down.
 */
async function closeSockets(app: FastifyInstance): Promise<void> {
  const server = app.websocketServer;
  const closed = [...server.clients].map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1001, 'normlab serve is stopping');
      }),
  );
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, SOCKET_CLOSE_MS).unref());
  await Promise.race([Promise.all(closed), timeout]);
  for (const socket of server.clients) socket.terminate();
  await Promise.all(closed);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The fastify app, not yet listening (tests use it through inject or listen). */
export async function createServeApp(options: ServeAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_CALL_BYTES,
    // Open WebSockets and keep-alive connections must not hold up Ctrl-C.
    forceCloseConnections: true,
    return503OnClosing: true,
  });

  // Registered first so that its hooks run first: on a refused WebSocket upgrade they mark the
  // request as one, and close its socket after the refusal (else it stays open, half upgraded).
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_CALL_BYTES },
    preClose: () => closeSockets(app),
  });

  // On every route, before any other work: the DNS-rebinding and cross-origin checks.
  app.addHook('onRequest', async (request, reply) => {
    const check = checkHostAndOrigin(request.headers, options.allowedHosts());
    if (!check.ok) return refuse(reply, check.status, { code: 'usage', message: check.reason });
  });
  app.addHook('onSend', async (request, reply) => {
    const host = request.headers.host ?? '';
    void reply.headers({
      'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://${host}`] }),
      'X-Content-Type-Options': 'nosniff',
      // The page's URL holds the token: never send it on as a Referer.
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500 && !isUserError(error)) {
      return sendJson(reply, 500, { ok: false, error: clientError(error, options.log, request.url) });
    }
    return sendJson(reply, isUserError(error) ? 400 : status, {
      ok: false,
      error: { code: 'usage', message: error.message },
    });
  });

  await app.register(async (api) => apiRoutes(api, options));
  staticRoutes(app, options.rendererDir);
  return app;
}
