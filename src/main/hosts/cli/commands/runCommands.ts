/** `normlab run` and `normlab resume`: train in the foreground with a live progress view. */
import type { Command } from 'commander';
import { findFigure } from '../../../../shared/figures';
import type { Threads } from '../../../../shared/api';
import type { BackendName } from '../../../../shared/config';
import { UserError } from '../../../../shared/errors';
import { withService, type CliSession, type DbOptions } from '../cliSession';
import { backendOption, dbOption, parseThreads, threadsOption } from '../options';
import { reportRun, RunStreams, withInterrupts } from '../runFollower';

interface RunOptions extends DbOptions {
  preset?: string;
  config?: string;
  set: string[];
  backend?: BackendName;
  data?: string;
  threads?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('train a network (a preset or a config file) and store the run')
    .option(
      '--preset <name>',
      'a named experiment, or a figure (every run of it in turn; see `normlab presets`)',
    )
    .option('--config <file>', 'a JSON experiment file')
    .option(
      '--set <key=value>',
      'override a config value, e.g. --set optimizer.lr=0.05 (repeatable)',
      collect,
      [],
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--data <dir>', 'CIFAR-10 folder (cifar-10-batches-bin) for this run')
    .addOption(dbOption())
    .action(async (opts: RunOptions) => {
      if (Boolean(opts.preset) === Boolean(opts.config)) {
        throw new UserError(
          'usage',
          'give exactly one of --preset NAME or --config FILE (see `normlab presets`)',
        );
      }
      const threads = parseThreads(opts.threads);
      await withService(opts, async (cli) => {
        const common = {
          overrides: opts.set,
          ...(opts.backend ? { backend: opts.backend } : {}),
          ...(threads !== undefined ? { threads } : {}),
          ...(opts.data ? { dataDir: opts.data } : {}),
        };
        if (opts.preset && findFigure(opts.preset)) {
          await runFigure(
            cli,
            opts.preset,
            await cli.call('runs.startFigure', { figure: opts.preset, ...common }),
          );
          return;
        }
        const { runId } = await cli.call('runs.start', {
          ...(opts.preset ? { preset: opts.preset } : {}),
          ...(opts.config ? { configFile: opts.config } : {}),
          ...common,
        });
        await followOne(cli, runId);
      });
    });

  program
    .command('resume')
    .description('continue an interrupted or stopped run from its latest checkpoint')
    .argument('<id>', 'run id (see `normlab list`)')
    .addOption(backendOption())
    .addOption(threadsOption())
    .addOption(dbOption())
    .action(async (id: string, opts: DbOptions & { threads?: string; backend?: BackendName }) => {
      const threads: Threads | undefined = parseThreads(opts.threads);
      await withService(opts, async (cli) => {
        const { runId } = await cli.call('runs.resume', {
          runId: id,
          ...(opts.backend ? { backend: opts.backend } : {}),
          ...(threads !== undefined ? { threads } : {}),
        });
        await followOne(cli, runId);
      });
    });
}

async function followOne(cli: CliSession, runId: string): Promise<void> {
  const streams = new RunStreams(cli);
  try {
    await streams.watch([runId]);
    const end = await withInterrupts(
      cli,
      () => [runId],
      () => streams.follow(runId),
    );
    await reportRun(cli, end);
  } finally {
    streams.close();
  }
}

/**
 * Every run of a figure, queued as one sweep and followed in turn. A run that diverges is a result
 * and the next goes on; one that stops or fails stops the rest of the figure.
 */
async function runFigure(
  cli: CliSession,
  name: string,
  sweep: { sweepId: string; runIds: string[] },
): Promise<void> {
  const streams = new RunStreams(cli);
  const names = new Map(
    (await cli.call('runs.list', { sweepId: sweep.sweepId, limit: 10_000 })).rows.map((r) => [r.id, r.name]),
  );
  let left = [...sweep.runIds];
  try {
    await streams.watch(sweep.runIds);
    await withInterrupts(
      cli,
      () => left,
      async () => {
        for (const [k, runId] of sweep.runIds.entries()) {
          process.stderr.write(
            `figure ${name}: run ${k + 1} of ${sweep.runIds.length}, ${names.get(runId) ?? runId}\n`,
          );
          const end = await streams.follow(runId);
          left = left.filter((id) => id !== runId);
          await reportRun(cli, end);
          if (end.outcome === 'stopped' || end.outcome === 'failed') {
            for (const rest of left) await cli.call('runs.stop', { runId: rest });
            process.stderr.write(`figure ${name} stopped after ${names.get(runId) ?? runId}\n`);
            return;
          }
        }
        process.stdout.write(`figure ${name}: ${sweep.runIds.length} runs done (sweep ${sweep.sweepId})\n`);
      },
    );
  } finally {
    streams.close();
  }
}
