/**
 * Loss slices at a run's checkpoints (shared/slices.ts): start one (nothing is stored unless its
 * settings are valid and the checkpoint exists), resume, stop, list, read its points. Each job's
 * progress goes to the `slice` stream keyed by its id.
 */
import type { Threads } from '../../../shared/api';
import type { ExperimentConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { sliceSettingsSchema } from '../../../shared/slices';
import { startSlice } from '../../runs/sliceRunner';
import type { Checkpoint } from '../../store';
import type { ApiHandlers } from '../dispatch';
import { storedExperiment } from '../experimentBuilder';
import { requireRun, type ServiceContext } from '../serviceContext';

type SliceHandlers = Pick<
  ApiHandlers,
  'slices.start' | 'slices.resume' | 'slices.stop' | 'slices.list' | 'slices.points'
>;

function checkpointFor(ctx: ServiceContext, runId: string, step: number | undefined): Checkpoint {
  const ckpt =
    step === undefined ? ctx.store.getLatestCheckpoint(runId) : ctx.store.getCheckpoint(runId, step);
  if (ckpt) return ckpt;
  const steps = ctx.store.listCheckpoints(runId).map((c) => c.step);
  throw new UserError(
    'checkpoint',
    steps.length === 0
      ? `run ${runId} has no checkpoint yet; a slice needs stored weights`
      : `run ${runId} has no checkpoint at step ${step}; it has checkpoints at steps ${steps.join(', ')} ` +
          '(schedule.keepCheckpoints keeps the newest ones)',
  );
}

function requireJob(ctx: ServiceContext, jobId: string) {
  const job = ctx.store.getSliceJob(jobId);
  if (!job) {
    throw new UserError(
      'not-found',
      `no loss slice "${jobId}" in ${ctx.dbPath}; \`normlab slices RUN\` lists a run's slices`,
    );
  }
  return job;
}

/** Computes the job in a worker, publishing its progress; it leaves the live set when it ends. */
function run(
  ctx: ServiceContext,
  jobId: string,
  config: ExperimentConfig,
  ckpt: Checkpoint,
  threads: Threads | undefined,
): void {
  const publish = (event: Parameters<typeof ctx.hub.publish>[0]) => ctx.hub.publish(event);
  const slice = startSlice(
    ctx.store,
    jobId,
    config,
    ckpt.bytes,
    (e) =>
      publish({
        topic: 'slice',
        jobId,
        event:
          e.type === 'started'
            ? { type: 'started', backend: e.backend, done: e.done, total: e.total }
            : { type: 'point', i: e.point.i, j: e.point.j, loss: e.point.loss, done: e.done, total: e.total },
      }),
    { threads, workerEntry: ctx.workerEntry },
  );
  ctx.slices.set(jobId, slice);
  void slice.done.then((r) => {
    ctx.slices.delete(jobId);
    publish({
      topic: 'slice',
      jobId,
      event: {
        type: 'ended',
        outcome: r.outcome,
        done: r.done,
        total: r.total,
        // The client sees the code and the message, never a stack.
        ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
      },
    });
  });
}

export function sliceHandlers(ctx: ServiceContext): SliceHandlers {
  return {
    'slices.start': ({ runId, step, settings, threads }) => {
      const stored = requireRun(ctx, runId);
      const parsed = sliceSettingsSchema.parse(settings ?? {});
      const ckpt = checkpointFor(ctx, runId, step);
      // The config and dataset are checked before the job is stored.
      const config = storedExperiment(runId, stored.config, ctx.places);
      const jobId = ctx.store.createSliceJob(runId, ckpt.step, parsed);
      run(ctx, jobId, config, ckpt, threads);
      return { jobId };
    },

    'slices.resume': ({ jobId, threads }) => {
      const job = requireJob(ctx, jobId);
      if (job.status === 'completed') throw new UserError('usage', `slice ${jobId} is complete`);
      if (ctx.slices.has(jobId)) throw new UserError('usage', `slice ${jobId} is already running here`);
      if (job.status === 'running') {
        throw new UserError('usage', `slice ${jobId} is running in another process; stop it there first`);
      }
      const ckpt = checkpointFor(ctx, job.runId, job.step);
      const config = storedExperiment(job.runId, requireRun(ctx, job.runId).config, ctx.places);
      run(ctx, job.id, config, ckpt, threads);
      return { jobId: job.id };
    },

    'slices.stop': ({ jobId }) => {
      const job = requireJob(ctx, jobId);
      const live = ctx.slices.get(job.id);
      if (!live) throw new UserError('usage', `slice ${jobId} is ${job.status}, not running in this process`);
      live.stop();
      return { ok: true };
    },

    'slices.list': ({ runId }) => {
      requireRun(ctx, runId);
      return ctx.store.listSliceJobs(runId);
    },

    'slices.points': ({ jobId }) => ctx.store.readSlicePoints(requireJob(ctx, jobId).id),
  };
}
