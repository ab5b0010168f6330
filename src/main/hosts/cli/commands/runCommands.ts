/** `normlab run` and `normlab resume`: train in the foreground with a live progress view. */
import type { Command } from 'commander';
import type { ActiveRun, NormLabApi, RunResult } from '../../../api/normlabApi';
import { applyThreadsOption, backendOption, dbOption, threadsOption } from '../options';
import { withApi, type DbOptions } from '../apiFromOptions';
import { ProgressView } from '../progressView';
import { findFigure } from '../../../../shared/figures';

interface RunOptions extends DbOptions {
  preset?: string;
  config?: string;
  set: string[];
  backend?: string;
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
      applyThreadsOption(opts.threads);
      await withApi(opts, async (api) => {
        if (opts.preset && findFigure(opts.preset)) {
          await runFigure(api, opts.preset, opts);
          return;
        }
        const config = api.buildConfig({
          ...(opts.preset ? { preset: opts.preset } : {}),
          ...(opts.config ? { configFile: opts.config } : {}),
          set: opts.set,
          ...(opts.backend ? { backend: opts.backend } : {}),
          ...(opts.data ? { dataDir: opts.data } : {}),
        });
        const unit = config.data.dataset === 'cifar10' ? 'img' : 'ex';
        await follow(api, (listener) => api.startRun(config, listener), unit);
      });
    });

  program
    .command('resume')
    .description('continue an interrupted or stopped run from its latest checkpoint')
    .argument('<id>', 'run id (see `normlab list`)')
    .addOption(threadsOption())
    .addOption(dbOption())
    .action(async (id: string, opts: DbOptions & { threads?: string }) => {
      applyThreadsOption(opts.threads);
      await withApi(opts, async (api) => {
        const run = api.getRunRecord(id);
        const unit =
          (run.config as { data?: { dataset?: string } }).data?.dataset === 'cifar10' ? 'img' : 'ex';
        await follow(api, (listener) => api.resumeRun(id, listener), unit);
      });
    });
}

/**
 * Every run of a figure in turn, as one sweep. A run that diverges is a result and the next starts;
 * Ctrl-C stops the current run (resumable) and the figure with it.
 */
async function runFigure(api: NormLabApi, name: string, opts: RunOptions): Promise<void> {
  const runs = api.buildFigureConfigs(name, {
    set: opts.set,
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.data ? { dataDir: opts.data } : {}),
  });
  const sweepId = `${name}@${new Date().toISOString()}`;
  for (const [k, r] of runs.entries()) {
    process.stderr.write(`figure ${name}: run ${k + 1} of ${runs.length}, ${r.name}\n`);
    const unit = r.config.data.dataset === 'cifar10' ? 'img' : 'ex';
    const result = await follow(
      api,
      (listener) => api.startRun(r.config, listener, { name: r.name, sweepId }),
      unit,
    );
    if (result.outcome === 'stopped' || result.outcome === 'failed') {
      process.stderr.write(`figure ${name} stopped after ${r.name}\n`);
      return;
    }
  }
  process.stdout.write(`figure ${name}: ${runs.length} runs done (sweep ${sweepId})\n`);
}

/**
 * Runs in the foreground until the run ends. Ctrl-C stops it cleanly (checkpoint, status `stopped`,
 * resumable); a second Ctrl-C quits at once (the run is then found `interrupted` and stays resumable
 * from its last checkpoint).
 */
async function follow(
  api: NormLabApi,
  start: (listener: (e: Parameters<ProgressView['onEvent']>[0]) => void) => ActiveRun,
  unit: string,
): Promise<RunResult> {
  const view = new ProgressView(process.stderr, unit);
  const run = start((event) => view.onEvent(event));
  process.stderr.write(`run ${run.runId} (database ${api.dbPath})\n`);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      view.close();
      process.stderr.write('\nstopping after this step (Ctrl-C again to quit now)...\n');
      run.stop();
    } else {
      process.stderr.write('quitting; resume later with `normlab resume ' + run.runId + '`\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  let result: RunResult;
  try {
    result = await run.done;
  } finally {
    process.off('SIGINT', onSigint);
    view.close();
  }
  report(api, result);
  return result;
}

function report(api: NormLabApi, result: RunResult): void {
  const { runId } = result;
  const { series } = api.runDetail(runId);
  const last = (name: string): number | undefined => series.find((s) => s.name === name)?.last ?? undefined;
  const parts: string[] = [];
  const loss = last('train/loss');
  const testAcc = last('test/accuracy');
  if (loss !== undefined) parts.push(`train loss ${loss.toPrecision(4)}`);
  if (testAcc !== undefined) parts.push(`test accuracy ${(100 * testAcc).toFixed(1)}%`);
  const summary = parts.length ? ` (${parts.join(', ')})` : '';
  switch (result.outcome) {
    case 'completed':
      process.stdout.write(`run ${runId} completed ${result.step} steps${summary}\n`);
      break;
    case 'stopped':
      process.stdout.write(
        `run ${runId} stopped at step ${result.step}; continue with \`normlab resume ${runId}\`\n`,
      );
      break;
    case 'diverged':
      process.stdout.write(
        `run ${runId} diverged at step ${result.divergedAtStep ?? result.step}: the loss became non-finite${summary}\n`,
      );
      process.exitCode = 1;
      break;
    case 'failed':
      process.stderr.write(`run ${runId} failed: ${result.error?.message ?? 'unknown error'}\n`);
      process.exitCode = 1;
      break;
  }
}
