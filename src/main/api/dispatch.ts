/**
 * The single entry point every host uses: a call arrives as (method name, untrusted params), is
 * checked against the contract's schema (src/shared/api.ts) and handed to its handler. Hosts add
 * transport only (IPC, WebSocket, the CLI in process); none validates or decides anything itself.
 */
import {
  API_METHODS,
  isApiMethod,
  type ApiEvent,
  type ApiMethodName,
  type ApiParsedParams,
  type ApiResult,
  type Subscription,
} from '../../shared/api';
import { formatIssues } from '../../shared/configOverrides';
import { UserError } from '../../shared/errors';

/** One connected client: an Electron window, a WebSocket, the CLI. It receives the events it subscribed to. */
export interface ApiSession {
  readonly id: number;
  /** Whether the session subscribed to this stream. */
  wants(event: ApiEvent): boolean;
  subscribe(s: Subscription): void;
  unsubscribe(s: Subscription): void;
  send(event: ApiEvent): void;
}

/** The implementation of every method; `session` is the caller's (for subscriptions). */
export type ApiHandlers = {
  [M in ApiMethodName]: (
    params: ApiParsedParams<M>,
    session: ApiSession,
  ) => ApiResult<M> | Promise<ApiResult<M>>;
};

function subscriptionKey(s: Subscription): string {
  return 'key' in s ? `${s.topic}:${s.key}` : s.topic;
}

function eventKey(e: ApiEvent): string {
  switch (e.topic) {
    case 'run':
      return `run:${e.runId}`;
    case 'slice':
      return `slice:${e.jobId}`;
    default:
      return e.topic;
  }
}

let nextSessionId = 1;

/** A session that forwards its subscribed events to `deliver` (the host's transport). */
export function createSession(deliver: (event: ApiEvent) => void): ApiSession {
  const keys = new Set<string>();
  return {
    id: nextSessionId++,
    wants: (event) => keys.has(eventKey(event)),
    subscribe: (s) => void keys.add(subscriptionKey(s)),
    unsubscribe: (s) => void keys.delete(subscriptionKey(s)),
    send: (event) => {
      if (keys.has(eventKey(event))) deliver(event);
    },
  };
}

/**
 * Validates and runs one call. An unknown method or params that do not match the contract are a
 * UserError('usage') naming every problem; nothing runs then.
 */
export async function dispatch(
  handlers: ApiHandlers,
  session: ApiSession,
  method: unknown,
  params: unknown,
): Promise<unknown> {
  if (!isApiMethod(method)) {
    throw new UserError('usage', `unknown API method ${JSON.stringify(method)}`);
  }
  const parsed = API_METHODS[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    throw new UserError('usage', `invalid parameters for ${method}:\n${formatIssues(parsed.error)}`);
  }
  const handler = handlers[method] as (p: unknown, s: ApiSession) => unknown;
  return await handler(parsed.data, session);
}
