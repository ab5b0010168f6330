/**
 * A NormLab service over a throwaway home and database, with the stand-in engine worker
 * (fakeEngineWorker.ts), one session that records every event it subscribed to, and `call`, which
 * goes through dispatch like a host and checks every result against the contract's result schema.
 */
import { join } from 'node:path';
import {
  API_METHODS,
  apiEventSchema,
  type ApiEvent,
  type ApiMethodName,
  type ApiParams,
  type ApiResult,
  type Subscription,
} from '../../src/shared/api';
import { dispatch, type ApiSession } from '../../src/main/api/dispatch';
import { createNormLabService, type NormLabService, type ServiceHost } from '../../src/main/api/service';
import type { RunManagerOptions } from '../../src/main/runs/runManager';
import { fakeEngineWorkerEntry } from './fakeEngineWorker';

export interface ServiceHarness {
  service: NormLabService;
  home: string;
  db: string;
  session: ApiSession;
  /** Every event the session received, in order. */
  events: ApiEvent[];
  call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  subscribe(s: Subscription): Promise<void>;
  /** Waits until the run has this status (as stored). */
  waitForStatus(runId: string, status: string): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  host?: ServiceHost;
  runs?: RunManagerOptions;
  /** The real engine worker instead of the stand-in. */
  realEngine?: boolean;
}

export function openHarness(dir: string, options: HarnessOptions = {}): ServiceHarness {
  const home = join(dir, 'home');
  const db = join(dir, 'runs.sqlite');
  const service = createNormLabService({
    host: options.host ?? 'serve',
    db,
    env: { NORMLAB_HOME: home },
    runs: { ...(options.realEngine ? {} : { workerEntry: fakeEngineWorkerEntry() }), ...options.runs },
  });
  const events: ApiEvent[] = [];
  const session = service.openSession((e) => {
    // What a host would send: every event matches the contract.
    apiEventSchema.parse(e);
    events.push(e);
  });
  const call = async <M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const result = await dispatch(service.handlers, session, method, params);
    return API_METHODS[method].result.parse(result) as ApiResult<M>;
  };
  return {
    service,
    home,
    db,
    session,
    events,
    call,
    subscribe: async (s) => {
      await call('events.subscribe', s);
    },
    waitForStatus: async (runId, status) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { run } = await call('runs.get', { runId });
        if (run.status === status) return;
        if (Date.now() > deadline)
          throw new Error(`run ${runId} is ${run.status}, not ${status}, after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => service.shutdown(),
  };
}
