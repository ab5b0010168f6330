/** `normlab slice` and `normlab slices`: loss slices at a run's checkpoints (shared/slices.ts). */
import type { Command } from 'commander';
import type { ActiveSlice, NormLabApi, SliceEvent } from '../../../api/normlabApi';
import { UserError } from '../../../../shared/errors';
import { withApi, type DbOptions } from '../apiFromOptions';
import { applyThreadsOption, dbOption, jsonOption, parseCountList, threadsOption } from '../options';
import { finiteOrString } from '../json';
import { formatLoss } from '../progressView';
import { formatTable } from '../table';

interface SliceOptions extends DbOptions {
  resume?: string;
  step?: string;
  dims?: string;
  from?: string;
  to?: string;
  points?: string;
  batches?: string;
  seeds?: string;
  threads?: string;
}

export function registerSliceCommands(program: Command): void {
  program
    .command('slice')
    .description(
      "the loss along random filter-normalized directions at a run's checkpoint (a 1D curve or a 2D surface); resumable",
    )
    .argument('[run]', 'run id (see `normlab list`)')
    .option('--resume <slice>', 'continue a stopped slice (see `normlab slices RUN`)')
    .option('--step <n>', "the checkpoint's step (default: the run's latest)")
    .option('--dims <1|2>', '1: a curve along d1; 2: a surface over d1 and d2 (default 1)')
    .option('--from <x>', 'first grid value of alpha (and beta) (default -1)')
    .option('--to <x>', 'last grid value (default 1)')
    .option('--points <n>', 'grid values per axis (default 21)')
    .option('--batches <n>', "the run's training minibatches 1..n the loss averages (default 2)")
    .option('--seeds <a,b>', 'seeds of the directions d1, d2 (default 1,2)')
    .addOption(threadsOption())
    .addOption(dbOption())
    .action(async (run: string | undefined, opts: SliceOptions) => {
      applyThreadsOption(opts.threads);
      if (Boolean(run) === Boolean(opts.resume)) {
        throw new UserError('usage', 'give a run id to start a slice, or --resume SLICE to continue one');
      }
      await withApi(opts, async (api) => {
        const slice = opts.resume
          ? api.resumeSlice(opts.resume, view())
          : api.startSlice(run as string, { ...stepOf(opts), settings: settingsOf(opts) }, view());
        await follow(api, slice);
      });
    });

  program
    .command('slices')
    .description("a run's loss slices: settings, progress and status")
    .argument('<run>', 'run id')
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (run: string, opts: DbOptions & { json?: boolean }) => {
      await withApi(opts, (api) => {
        const jobs = api.listSlices(run);
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify(
              jobs.map((job) => ({ ...job, points: api.slicePoints(job.id) })),
              finiteOrString,
              2,
            )}\n`,
          );
          return;
        }
        process.stdout.write(
          jobs.length === 0
            ? `run ${run} has no loss slices; start one with \`normlab slice ${run}\`\n`
            : formatTable(
                ['SLICE', 'STEP', 'GRID', 'DONE', 'STATUS', 'SEEDS'],
                jobs.map((j) => [
                  j.id,
                  String(j.step),
                  `${j.settings.dims}D ${j.settings.points} x [${j.settings.from}, ${j.settings.to}], ${j.settings.batches} batch(es)`,
                  `${j.done}/${j.total}`,
                  j.status + (j.error ? ` (${j.error})` : ''),
                  j.settings.seeds.join(','),
                ]),
              ),
        );
      });
    });
}

/** Settings as typed; the API validates them (and says what is wrong) before anything is stored. */
function settingsOf(opts: SliceOptions): Record<string, unknown> {
  const num = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new UserError('usage', `${flag} takes a number, not "${v}"`);
    return n;
  };
  const settings: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) settings[key] = value;
  };
  set('dims', num(opts.dims, '--dims'));
  set('from', num(opts.from, '--from'));
  set('to', num(opts.to, '--to'));
  set('points', num(opts.points, '--points'));
  set('batches', num(opts.batches, '--batches'));
  if (opts.seeds !== undefined) {
    const seeds = parseCountList(opts.seeds, '--seeds');
    if (seeds.length !== 2)
      throw new UserError('usage', `--seeds takes two seeds, e.g. 1,2, not "${opts.seeds}"`);
    settings.seeds = seeds;
  }
  return settings;
}

function stepOf(opts: SliceOptions): { step?: number } {
  if (opts.step === undefined) return {};
  const n = Number(opts.step);
  if (!/^\d+$/.test(opts.step.trim()))
    throw new UserError('usage', `--step takes a step number, not "${opts.step}"`);
  return { step: n };
}

/** One line per point: where it is on the grid, its loss, and how far the job is. */
function view(): (event: SliceEvent) => void {
  return (event) => {
    if (event.type === 'started') {
      process.stderr.write(
        `slicing on ${event.backend.name} (${event.backend.device}); ${event.done}/${event.total} points stored\n`,
      );
    } else {
      const { i, j, loss } = event.point;
      process.stderr.write(`point ${event.done}/${event.total} (i=${i}, j=${j}) loss ${formatLoss(loss)}\n`);
    }
  };
}

/** Waits for the job; Ctrl-C stops it after the current point (resumable). */
async function follow(api: NormLabApi, slice: ActiveSlice): Promise<void> {
  process.stderr.write(`slice ${slice.jobId} (database ${api.dbPath})\n`);
  const onSigint = (): void => {
    process.stderr.write('\nstopping after this point...\n');
    slice.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    const r = await slice.done;
    if (r.outcome === 'completed') process.stdout.write(`slice ${r.jobId} completed ${r.done} points\n`);
    else if (r.outcome === 'stopped') {
      process.stdout.write(
        `slice ${r.jobId} stopped at ${r.done}/${r.total} points; continue with \`normlab slice --resume ${r.jobId}\`\n`,
      );
    } else {
      process.stderr.write(`slice ${r.jobId} failed: ${r.error?.message ?? 'unknown error'}\n`);
      process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}
