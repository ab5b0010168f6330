/**
 * The NormLab service: the one implementation of the API contract (shared/api.ts) over the store and
 * the runs layer, which every host adapts (Electron IPC, serve's WebSocket, the CLI in process). It
 * opens the database, wires the run manager's events to the sessions that subscribed to them, adopts
 * the queued runs an app or serve left behind, and stops cleanly.
 */
import { resolve } from 'node:path';
import type { ApiEvent, Settings } from '../../shared/api';
import { isUserError } from '../../shared/errors';
import type { RunStatus } from '../../shared/runTypes';
import { RunManager, type RunManagerOptions } from '../runs/runManager';
import type { ActiveSlice } from '../runs/sliceRunner';
import { openStore } from '../store';
import { BackendReports } from './backendReports';
import type { DatasetPlaces } from './cifar10Location';
import { Cifar10Downloads } from './cifar10Downloads';
import type { ApiHandlers, ApiSession } from './dispatch';
import { EventHub } from './eventHub';
import { storedExperiment } from './experimentBuilder';
import { chartHandlers } from './handlers/chartHandlers';
import { figureHandlers } from './handlers/figureHandlers';
import { machineHandlers } from './handlers/machineHandlers';
import { reproduceHandlers } from './handlers/reproduceHandlers';
import { runBrowserHandlers } from './handlers/runBrowserHandlers';
import { lifecycleHandlers } from './handlers/runLifecycleHandlers';
import { sliceHandlers } from './handlers/sliceHandlers';
import { defaultLocations, type Locations } from './locations';
import { exportRun, type ExportFormat } from './runExport';
import { publishRunChange, requireRun, type ServiceContext } from './serviceContext';
import { readSettings } from './settings';

export type ServiceHost = 'electron' | 'serve' | 'cli';

export interface NormLabServiceOptions {
  /** Database file; default: the `db` setting, else `<data dir>/normlab.sqlite`. */
  db?: string;
  env?: NodeJS.ProcessEnv;
  host: ServiceHost;
  /** The pool size comes from the poolSize setting unless `runs.concurrency` fixes it. */
  runs?: RunManagerOptions;
}

export interface NormLabService {
  /** Every method of API_METHODS. */
  readonly handlers: ApiHandlers;
  readonly dbPath: string;
  readonly locations: Locations;
  /** A session for one client, registered for the events it subscribes to. */
  openSession(deliver: (e: ApiEvent) => void): ApiSession;
  /** Drops the session and its subscriptions. */
  closeSession(session: ApiSession): void;
  /** Runs queued, running or paused in this process. */
  activeRuns(): string[];
  /** A run's history as CSV or JSON text chunks (runExport.ts); the run must exist. */
  exportRun(runId: string, format: ExportFormat): Generator<string, void, undefined>;
  /** Checkpoints and stops every active run (resumable later; queued ones stay queued), then closes the store. */
  shutdown(): Promise<void>;
}

export function createNormLabService(options: NormLabServiceOptions): NormLabService {
  const env = options.env ?? process.env;
  const locations = defaultLocations(env);
  const settings = (): Settings => readSettings(locations.settingsFile);
  const initial = settings();
  const dbPath = resolve(options.db ?? initial.db ?? locations.defaultDb);
  const store = openStore(dbPath, { ownerKind: options.host });
  const hub = new EventHub();

  const runs = new RunManager(store, {
    ...options.runs,
    concurrency: options.runs?.concurrency ?? initial.poolSize ?? 1,
    observer: {
      event: (runId, event) => {
        const e: ApiEvent = { topic: 'run', runId, event };
        if (hub.wanted(e)) hub.publish(e);
      },
      status: (runId, status: RunStatus) => {
        hub.publish({ topic: 'run', runId, event: { type: 'status', status } });
        publishRunChange(ctx, 'status', runId);
      },
      log: (entry) => hub.publish({ topic: 'run', runId: entry.runId, event: { type: 'log', entry } }),
    },
  });
  const places: DatasetPlaces = { settings, dataDir: locations.dataDir };
  const ctx: ServiceContext = {
    host: options.host,
    store,
    runs,
    hub,
    locations,
    dbPath,
    places,
    backends: new BackendReports(),
    slices: new Map<string, ActiveSlice>(),
    workerEntry: options.runs?.workerEntry,
    settings,
  };
  const downloads = new Cifar10Downloads(locations.dataDir, (e) => hub.publish(e));
  const handlers: ApiHandlers = {
    ...machineHandlers(ctx, downloads),
    ...lifecycleHandlers(ctx),
    ...runBrowserHandlers(ctx),
    ...chartHandlers(ctx),
    ...sliceHandlers(ctx),
    ...figureHandlers(ctx),
    ...reproduceHandlers(ctx),
  };
  adoptQueuedRuns(ctx);

  let closing: Promise<void> | undefined;
  return {
    handlers,
    dbPath,
    locations,
    openSession: (deliver) => hub.open(deliver),
    closeSession: (session) => hub.close(session),
    activeRuns: () => runs.activeRunIds(),
    exportRun: (runId, format) => {
      requireRun(ctx, runId);
      return exportRun(store, runId, format);
    },
    shutdown: () =>
      (closing ??= (async () => {
        downloads.cancel();
        const slices = [...ctx.slices.values()];
        for (const s of slices) s.stop();
        await Promise.all([runs.shutdown(), ...slices.map((s) => s.done)]);
        store.close();
      })()),
  };
}

/**
 * Queued runs an app or serve left when it ended join this one's queue, oldest first (a CLI adopts
 * none). One whose stored config or dataset no longer passes is failed, saying why.
 */
function adoptQueuedRuns(ctx: ServiceContext): void {
  for (const runId of ctx.store.adoptQueuedRuns()) {
    const run = ctx.store.getRun(runId);
    if (!run) continue;
    try {
      ctx.runs.adopt(runId, storedExperiment(runId, run.config, ctx.places));
    } catch (e) {
      if (!isUserError(e)) throw e;
      ctx.runs.reject(runId, e);
    }
  }
}
