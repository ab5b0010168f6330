/**
 * The run browser: the runs table (search, filter, sort, pages), one run's detail, tags and notes,
 * deletion (with what it removes), and the run log.
 */
import { UserError } from '../../../shared/errors';
import { LIVE_RUN_STATUSES, type RunStatus } from '../../../shared/runTypes';
import type { ApiHandlers } from '../dispatch';
import { publishRunChange, requireRow, requireRun, type ServiceContext } from '../serviceContext';

type BrowserHandlers = Pick<
  ApiHandlers,
  'runs.list' | 'runs.get' | 'runs.update' | 'runs.tags' | 'runs.deletePreview' | 'runs.delete' | 'runs.log'
>;

const isLive = (status: RunStatus): boolean => (LIVE_RUN_STATUSES as readonly RunStatus[]).includes(status);

export function runBrowserHandlers(ctx: ServiceContext): BrowserHandlers {
  const requireAll = (ids: readonly string[]) => [...new Set(ids)].map((id) => requireRun(ctx, id));

  return {
    'runs.list': (query) => ctx.store.queryRuns(query),

    'runs.get': ({ runId }) => {
      const run = requireRun(ctx, runId);
      return {
        run,
        row: requireRow(ctx, runId),
        series: ctx.store.listSeriesStats(runId),
        probes: ctx.store.probeSummary(runId),
        slices: ctx.store.listSliceJobs(runId),
        checkpoints: ctx.store.listCheckpoints(runId),
      };
    },

    'runs.update': ({ runId, name, tags, notes }) => {
      requireRun(ctx, runId);
      ctx.store.editRun(runId, { name, tags, notes });
      publishRunChange(ctx, 'updated', runId);
      return requireRow(ctx, runId);
    },

    'runs.tags': () => ctx.store.tagCounts(),

    'runs.deletePreview': ({ runIds }) => {
      const runs = requireAll(runIds);
      return {
        runs: runs.map((r) => ({ id: r.id, name: r.name, status: r.status })),
        ...ctx.store.runFootprint(runs.map((r) => r.id)),
        active: runs.filter((r) => isLive(r.status)).map((r) => r.id),
      };
    },

    'runs.delete': async ({ runIds }) => {
      const runs = requireAll(runIds);
      // Nothing is deleted if any run is live in another process: its writes would fail midway.
      const elsewhere = runs.filter((r) => isLive(r.status) && ctx.store.ownedElsewhere(r.id));
      if (elsewhere.length > 0) {
        throw new UserError(
          'usage',
          `run(s) ${elsewhere.map((r) => r.id).join(', ')} are training in another process; stop them there first (nothing was deleted)`,
        );
      }
      // Runs of this process stop first (a queued run leaves the queue at once), and their slices.
      const mine = runs.flatMap((r) => {
        const active = ctx.runs.get(r.id);
        return active ? [active] : [];
      });
      for (const a of mine) a.stop();
      await Promise.all(mine.map((a) => a.done));
      const slices = [...ctx.slices.values()].filter((s) =>
        runs.some((r) => r.id === ctx.store.getSliceJob(s.jobId)?.runId),
      );
      for (const s of slices) s.stop();
      await Promise.all(slices.map((s) => s.done));
      const deleted = runs.filter((r) => ctx.store.deleteRun(r.id)).map((r) => r.id);
      for (const runId of deleted) ctx.hub.publish({ topic: 'runs', change: { kind: 'deleted', runId } });
      return { deleted };
    },

    'runs.log': ({ runId, afterId, limit }) => {
      requireRun(ctx, runId);
      return ctx.store.listLog(runId, { ...(afterId !== undefined ? { afterId } : {}), limit });
    },
  };
}
