/**
 * The CLI's connection to the NormLab service, in process: every call goes through dispatch (checked
 * against the contract like any host's), events arrive through the session's subscriptions. The
 * service is shut down when the command is done (an active run is stopped with a checkpoint).
 */
import type { ApiEvent, ApiMethodName, ApiParams, ApiResult, Subscription } from '../../../shared/api';
import { dispatch, type ApiSession } from '../../api/dispatch';
import { createNormLabService, type NormLabService } from '../../api/service';

export interface CliSession {
  readonly service: NormLabService;
  call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  /** Subscribes to a stream; its events go to the listeners. */
  subscribe(s: Subscription): Promise<void>;
  /** Listens to every subscribed event; returns the function that stops listening. */
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

export interface DbOptions {
  db?: string;
}

/**
 * Runs `fn` with a service over the database. `concurrency` runs train at once (default 1: the
 * terminal follows one run at a time, so a figure's runs train one after another).
 */
export async function withService<T>(
  opts: DbOptions,
  fn: (cli: CliSession) => Promise<T> | T,
  concurrency = 1,
): Promise<T> {
  const service = createNormLabService({
    host: 'cli',
    ...(opts.db ? { db: opts.db } : {}),
    runs: { concurrency },
  });
  const listeners = new Set<(e: ApiEvent) => void>();
  const session: ApiSession = service.openSession((e) => {
    for (const l of [...listeners]) l(e);
  });
  const cli: CliSession = {
    service,
    async call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      return (await dispatch(service.handlers, session, method, params)) as ApiResult<M>;
    },
    subscribe: async (s) => {
      await dispatch(service.handlers, session, 'events.subscribe', s);
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  try {
    return await fn(cli);
  } finally {
    service.closeSession(session);
    await service.shutdown();
  }
}
