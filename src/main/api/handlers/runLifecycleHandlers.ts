/**
 * Starting and steering runs: one run, a grid sweep, a paper figure; resume, pause, continue, stop;
 * the queue. Every start is validated whole (config and dataset) before anything is stored, then
 * queued on the run manager, which owns the run's status from there.
 */
import type { Threads } from '../../../shared/api';
import { UserError } from '../../../shared/errors';
import { LIVE_RUN_STATUSES, type RunStatus } from '../../../shared/runTypes';
import type { ActiveRun } from '../../runs/runManager';
import { buildExperiment, storedExperiment, type BuiltExperiment } from '../experimentBuilder';
import type { ApiHandlers } from '../dispatch';
import { publishRunChange, requireRun, type ServiceContext } from '../serviceContext';
import { planFigure, planGrid, type SweepPlan } from '../sweeps';

type LifecycleHandlers = Pick<
  ApiHandlers,
  | 'experiments.validate'
  | 'runs.start'
  | 'runs.startSweep'
  | 'runs.startFigure'
  | 'runs.resume'
  | 'runs.pause'
  | 'runs.continue'
  | 'runs.stop'
  | 'queue.get'
>;

/** Stores the runs (one transaction: all or none) and queues them in order. */
function queueAll(
  ctx: ServiceContext,
  runs: readonly BuiltExperiment[],
  threads: Threads | undefined,
  sweepId?: string,
): string[] {
  const ids = ctx.store.batch(() =>
    runs.map((r) => ctx.store.createRun(r.config, { name: r.name, ...(sweepId ? { sweepId } : {}) })),
  );
  ids.forEach((id, k) => {
    publishRunChange(ctx, 'created', id);
    ctx.runs.start(id, (runs[k] as BuiltExperiment).config, { threads });
  });
  return ids;
}

function queueSweep(ctx: ServiceContext, plan: SweepPlan, threads: Threads | undefined) {
  return { sweepId: plan.sweepId, runIds: queueAll(ctx, plan.runs, threads, plan.sweepId) };
}

/** The run's handle in this process, or a UserError saying where it is and what to do. */
function activeRun(ctx: ServiceContext, runId: string, action: string): ActiveRun {
  const active = ctx.runs.get(runId);
  if (active) return active;
  const run = requireRun(ctx, runId);
  if ((LIVE_RUN_STATUSES as readonly RunStatus[]).includes(run.status) && ctx.store.ownedElsewhere(runId)) {
    const owner = ctx.store.getRunOwner(runId);
    throw new UserError(
      'usage',
      `run ${runId} is ${run.status} in another process (pid ${owner?.pid ?? '?'}); ${action} it there`,
    );
  }
  throw new UserError('usage', `run ${runId} is ${run.status}, not training; there is nothing to ${action}`);
}

export function lifecycleHandlers(ctx: ServiceContext): LifecycleHandlers {
  return {
    'experiments.validate': (req) => ({ config: buildExperiment(req, ctx.places).config }),

    'runs.start': (req) => {
      const [runId] = queueAll(ctx, [buildExperiment(req, ctx.places)], req.threads);
      return { runId: runId as string };
    },

    'runs.startSweep': ({ experiment, grid }) =>
      queueSweep(ctx, planGrid(experiment, grid, ctx.places), experiment.threads),

    'runs.startFigure': ({ figure, overrides, backend, threads, dataDir }) =>
      queueSweep(
        ctx,
        planFigure(
          figure,
          { overrides, ...(backend ? { backend } : {}), ...(dataDir ? { dataDir } : {}) },
          ctx.places,
        ),
        threads,
      ),

    'runs.resume': ({ runId, backend, threads }) => {
      const run = requireRun(ctx, runId);
      const config = storedExperiment(run.id, run.config, ctx.places, backend);
      ctx.runs.resume(run.id, config, { threads });
      return { runId: run.id };
    },

    'runs.pause': ({ runId }) => {
      const run = activeRun(ctx, runId, 'pause');
      if (ctx.runs.snapshot().queued.includes(runId)) {
        throw new UserError(
          'usage',
          `run ${runId} is queued, not training yet; stop it to take it out of the queue`,
        );
      }
      run.pause();
      return { ok: true };
    },

    'runs.continue': ({ runId }) => {
      activeRun(ctx, runId, 'continue').resume();
      return { ok: true };
    },

    'runs.stop': ({ runId }) => {
      const active = ctx.runs.get(runId);
      if (active) {
        active.stop();
        return { ok: true };
      }
      // A live run whose process is gone: stopping it is recovering it (interrupted, resumable).
      if (ctx.store.recoverRun(runId)) {
        publishRunChange(ctx, 'status', runId);
        return { ok: true };
      }
      activeRun(ctx, runId, 'stop');
      return { ok: true };
    },

    'queue.get': () => ctx.runs.snapshot(),
  };
}
