/**
 * A stand-in for the NormLab service (src/main/api/service.ts) in host tests: every handler records
 * its call and answers something plausible; `events.subscribe` uses the caller's session as the real
 * service does; `emit` pushes an event to every open session (each keeps what it subscribed to).
 * Hosts are adapters, so what matters is which calls reach the handlers and what comes back.
 */
import { API_METHOD_NAMES, type ApiEvent, type ApiMethodName, type Subscription } from '../../src/shared/api';
import { createSession, type ApiHandlers, type ApiSession } from '../../src/main/api/dispatch';
import { UserError } from '../../src/shared/errors';
import type { HostService } from '../../src/main/hosts/hostService';

export interface RecordedCall {
  method: ApiMethodName;
  params: unknown;
  session: number;
}

export interface FakeHostService extends HostService {
  readonly calls: RecordedCall[];
  readonly sessions: Set<ApiSession>;
  readonly closed: ApiSession[];
  active: string[];
  shutdowns: number;
  emit(event: ApiEvent): void;
  /** Replaces one handler (to make it fail, or answer something else). */
  override(method: ApiMethodName, handler: (params: unknown, session: ApiSession) => unknown): void;
}

/** A runs.list row whose final metrics are NaN and Infinity (a diverged run). */
export const DIVERGED_ROW = {
  id: 'r1',
  name: 'dln25-bn',
  status: 'diverged',
  final: {
    trainLoss: Number.NaN,
    trainAccuracy: Number.POSITIVE_INFINITY,
    testAccuracy: Number.NEGATIVE_INFINITY,
  },
};

export function fakeHostService(): FakeHostService {
  const calls: RecordedCall[] = [];
  const sessions = new Set<ApiSession>();
  const closed: ApiSession[] = [];
  const overrides = new Map<ApiMethodName, (params: unknown, session: ApiSession) => unknown>();

  const answer = (method: ApiMethodName, params: unknown, session: ApiSession): unknown => {
    const custom = overrides.get(method);
    if (custom) return custom(params, session);
    switch (method) {
      case 'app.info':
        return { version: '0.0.0-test', host: 'serve', dbPath: '/tmp/fake.sqlite', empty: true };
      case 'runs.list':
        return { total: 1, rows: [DIVERGED_ROW] };
      case 'runs.get':
        throw new UserError('not-found', `no run ${(params as { runId: string }).runId}`);
      case 'events.subscribe':
        session.subscribe(params as Subscription);
        return { ok: true };
      case 'events.unsubscribe':
        session.unsubscribe(params as Subscription);
        return { ok: true };
      default:
        return { ok: true };
    }
  };

  // Every method of the contract answered by `answer`; the mapped type cannot be built key by key.
  const handlers = Object.fromEntries(
    API_METHOD_NAMES.map((method) => [
      method,
      (params: unknown, session: ApiSession) => {
        calls.push({ method, params, session: session.id });
        return answer(method, params, session);
      },
    ]),
  ) as unknown as ApiHandlers;

  const service: FakeHostService = {
    handlers,
    dbPath: '/tmp/fake.sqlite',
    calls,
    sessions,
    closed,
    active: [],
    shutdowns: 0,
    openSession(deliver) {
      const session = createSession(deliver);
      sessions.add(session);
      return session;
    },
    closeSession(session) {
      sessions.delete(session);
      closed.push(session);
    },
    activeRuns: () => service.active,
    async shutdown() {
      service.shutdowns++;
      service.active = [];
    },
    emit(event) {
      for (const session of sessions) session.send(event);
    },
    override(method, handler) {
      overrides.set(method, handler);
    },
  };
  return service;
}
