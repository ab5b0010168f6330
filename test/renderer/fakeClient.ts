/** A RendererClient answering from a table of handlers, for component and store tests. */
import type { ApiEvent, ApiMethodName, ApiParams, ApiResult } from '../../src/shared/api';
import { ApiCallError, type ConnectionStatus, type RendererClient } from '../../src/renderer/src/api/client';

export type Handlers = {
  [M in ApiMethodName]?: (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>;
};

export interface FakeClient extends RendererClient {
  calls: { method: ApiMethodName; params: unknown }[];
  emit(event: ApiEvent): void;
  setConnection(state: ConnectionStatus['state']): void;
}

export function fakeClient(handlers: Handlers): FakeClient {
  const listeners = new Set<(e: ApiEvent) => void>();
  const connectionListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'open', since: 0, attempts: 0 };
  const calls: FakeClient['calls'] = [];
  return {
    transport: 'websocket',
    calls,
    async call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      calls.push({ method, params });
      if (method === 'events.subscribe' || method === 'events.unsubscribe')
        return { ok: true } as ApiResult<M>;
      const handler = handlers[method] as
        ((p: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>) | undefined;
      if (!handler) throw new ApiCallError('usage', `fake client: no handler for ${method}`, method);
      return handler(params);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const l of [...listeners]) l(event);
    },
    connection: () => ({ ...status }),
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    setConnection(state) {
      status = { state, since: Date.now(), attempts: 0 };
      for (const l of [...connectionListeners]) l({ ...status });
    },
    close: () => undefined,
  };
}
