/** `normlab slice` and `normlab slices`: loss slices at a run's checkpoints (shared/slices.ts). */
import type { Command } from 'commander';
import type { ApiEvent } from '../../../../shared/api';
import { UserError } from '../../../../shared/errors';
import { finiteOrString } from '../../../api/runExport';
import { withService, type CliSession, type DbOptions } from '../cliSession';
import { dbOption, jsonOption, parseCountList, parseThreads, threadsOption } from '../options';
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

type SliceEvent = Extract<ApiEvent, { topic: 'slice' }>['event'];

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
      const threads = parseThreads(opts.threads);
      if (Boolean(run) === Boolean(opts.resume)) {
        throw new UserError('usage', 'give a run id to start a slice, or --resume SLICE to continue one');
      }
      const threadField = threads !== undefined ? { threads } : {};
      await withService(opts, async (cli) => {
        const events: SliceEvent[] = [];
        let listener: ((e: SliceEvent) => void) | undefined;
        // Events may come before the job id is known here: they wait until the follower reads them.
        cli.onEvent((e) => {
          if (e.topic !== 'slice') return;
          if (listener) listener(e.event);
          else events.push(e.event);
        });
        const { jobId } = opts.resume
          ? await cli.call('slices.resume', { jobId: opts.resume, ...threadField })
          : await cli.call('slices.start', {
              runId: run as string,
              ...stepOf(opts),
              settings: settingsOf(opts),
              ...threadField,
            });
        await cli.subscribe({ topic: 'slice', key: jobId });
        await follow(cli, jobId, (l) => {
          listener = l;
          for (const e of events.splice(0)) l(e);
        });
      });
    });

  program
    .command('slices')
    .description("a run's loss slices: settings, progress and status")
    .argument('<run>', 'run id')
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (run: string, opts: DbOptions & { json?: boolean }) => {
      await withService(opts, async (cli) => {
        const jobs = await cli.call('slices.list', { runId: run });
        if (opts.json) {
          const withPoints = [];
          for (const job of jobs)
            withPoints.push({ ...job, points: await cli.call('slices.points', { jobId: job.id }) });
          process.stdout.write(`${JSON.stringify(withPoints, finiteOrString, 2)}\n`);
          return;
        }
        process.stdout.write(
          jobs.length === 0
            ? `run ${run} has no loss slices; start one with \`normlab slice ${run}\`\n`
            : formatTable(
                ['SLICE', 'STEP', 'GRID', 'DONE', 'STATUS', 'SEEDS'],
                jobs.map((j) => {
                  const s = j.settings as {
                    dims: number;
                    points: number;
                    from: number;
                    to: number;
                    batches: number;
                    seeds: number[];
                  };
                  return [
                    j.id,
                    String(j.step),
                    `${s.dims}D ${s.points} x [${s.from}, ${s.to}], ${s.batches} batch(es)`,
                    `${j.done}/${j.total}`,
                    j.status + (j.error ? ` (${j.error})` : ''),
                    s.seeds.join(','),
                  ];
                }),
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

/** One line per point; Ctrl-C stops the job after the current point (resumable). */
async function follow(
  cli: CliSession,
  jobId: string,
  listen: (listener: (e: SliceEvent) => void) => void,
): Promise<void> {
  process.stderr.write(`slice ${jobId} (database ${cli.service.dbPath})\n`);
  const onSigint = (): void => {
    process.stderr.write('\nstopping after this point...\n');
    void cli.call('slices.stop', { jobId }).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const ended = await new Promise<Extract<SliceEvent, { type: 'ended' }>>((resolve) =>
      listen((e) => {
        if (e.type === 'started') {
          process.stderr.write(
            `slicing on ${e.backend.name} (${e.backend.device}); ${e.done ?? 0}/${e.total ?? '?'} points stored\n`,
          );
        } else if (e.type === 'point') {
          process.stderr.write(
            `point ${e.done ?? '?'}/${e.total ?? '?'} (i=${e.i}, j=${e.j}) loss ${formatLoss(e.loss)}\n`,
          );
        } else resolve(e);
      }),
    );
    const done = ended.done ?? 0;
    const total = ended.total ?? 0;
    if (ended.outcome === 'completed') process.stdout.write(`slice ${jobId} completed ${done} points\n`);
    else if (ended.outcome === 'stopped') {
      process.stdout.write(
        `slice ${jobId} stopped at ${done}/${total} points; continue with \`normlab slice --resume ${jobId}\`\n`,
      );
    } else {
      process.stderr.write(`slice ${jobId} failed: ${ended.error?.message ?? 'unknown error'}\n`);
      process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}
