/**
 * `normlab reproduce`: every experiment of PAPER.md section 5 at a scale, its claims checked, a report
 * written. `--plan` prints the runs and the time they would take here and starts nothing. A rerun
 * reuses finished runs and resumes interrupted ones, so an interrupted reproduction continues where
 * it stopped.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { BackendName } from '../../../../shared/config';
import { formatClaimNumber } from '../../../../shared/claimNumbers';
import { autoChoice } from '../../../../shared/backends';
import { UserError } from '../../../../shared/errors';
import {
  REPRO_SCALES,
  isReproScale,
  type PlanTotal,
  type ReproPlanInfo,
  type ReproReport,
  type ReproScale,
} from '../../../../shared/reproduce';
import { withService, type CliSession, type DbOptions } from '../cliSession';
import { backendOption, dbOption, parseCount, parseThreads, threadsOption } from '../options';
import { formatDuration } from '../progressView';
import { reportRun, RunStreams, withInterrupts } from '../runFollower';
import { formatTable } from '../table';

interface ReproduceOptions extends DbOptions {
  scale: string;
  only?: string;
  reading?: string;
  plan?: boolean;
  calibrate?: boolean;
  out?: string;
  dpi?: string;
  backend?: BackendName;
  threads?: string;
  data?: string;
  report?: boolean;
  jobs?: string;
}

export function registerReproduceCommands(program: Command): void {
  program
    .command('reproduce')
    .description(
      "reproduce the paper: run every figure's experiments, check each claim, write a report (HTML, figures, JSON)",
    )
    .addOption(
      new Option('--scale <scale>', 'smoke (pipeline check), quick (<10 min), cpu (<90 min), paper (GPU)')
        .choices(REPRO_SCALES)
        .makeOptionMandatory(),
    )
    .option('--only <figure>', 'one figure, e.g. fig4 (its claims need their other figures too)')
    .option('--reading <name>', 'run the claims under another reading of the paper (see --plan)')
    .option('--plan', 'print the runs and the time they would take on this machine; start nothing')
    .option('--calibrate', 'with --plan: time the kinds of run this machine has no timing for (a minute)')
    .option('--out <dir>', 'report folder (default: <data dir>/reports/repro-SCALE-READING)')
    .option('--dpi <n>', 'PNG resolution of the figures', '150')
    .option('--no-report', 'train only; write no report')
    .option(
      '--jobs <n>',
      'runs trained at once (default: 2 on a CPU with 2+ cores at smoke, quick and cpu scale, each on its share of the cores; 1 at paper scale)',
    )
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--data <dir>', 'CIFAR-10 folder (cifar-10-batches-bin) for the VGG runs')
    .addOption(dbOption())
    .action(async (opts: ReproduceOptions) => {
      if (!isReproScale(opts.scale))
        throw new UserError('usage', `--scale ${opts.scale}: pick one of ${REPRO_SCALES.join(', ')}`);
      if (opts.calibrate && !opts.plan) throw new UserError('usage', '--calibrate goes with --plan');
      const dpi = parseCount(opts.dpi ?? '150', '--dpi');
      if (dpi < 36 || dpi > 1200) throw new UserError('usage', `--dpi ${dpi}: give 36 to 1200`);
      const askedJobs = opts.jobs !== undefined ? parseCount(opts.jobs, '--jobs') : undefined;
      if (askedJobs !== undefined && (askedJobs < 1 || askedJobs > 16))
        throw new UserError('usage', `--jobs ${askedJobs}: give 1 to 16`);
      const askedThreads = parseThreads(opts.threads);
      const base = {
        scale: opts.scale,
        ...(opts.only !== undefined ? { only: opts.only } : {}),
        ...(opts.reading !== undefined ? { reading: opts.reading } : {}),
      };
      // The service starts with the pool this command needs, so the backend is settled first.
      const resolved = await withService(opts, (cli) => resolveBackend(cli, opts.backend, askedThreads));
      const jobs = askedJobs ?? defaultJobs(opts.scale, resolved);
      const threads =
        askedThreads ?? (jobs > 1 ? Math.max(1, Math.floor(availableParallelism() / jobs)) : undefined);
      const backend = resolved ? { backend: resolved } : {};
      await withService(
        opts,
        async (cli) => {
          const started = Date.now();
          if (opts.calibrate) {
            process.stderr.write(
              'timing each kind of run this machine has no timing for (a few seconds each)...\n',
            );
          }
          const plan = await cli.call('reproduce.plan', {
            ...base,
            ...backend,
            ...(threads !== undefined ? { threads } : {}),
            ...(opts.data ? { dataDir: opts.data } : {}),
            calibrate: opts.calibrate === true,
          });
          printPlan(plan, jobs);
          if (opts.plan) return;
          const failed = await train(cli, plan, {
            ...base,
            ...backend,
            ...(threads !== undefined ? { threads } : {}),
            ...(opts.data ? { dataDir: opts.data } : {}),
          });
          if (failed === 'interrupted') return;
          const results = await cli.call('reproduce.results', base);
          process.stdout.write(`\n${verdictTable(results.claims)}\n`);
          if (opts.report !== false) {
            const report = await cli.call('reproduce.report', {
              ...base,
              dpi,
              ...(opts.out !== undefined ? { outDir: opts.out } : {}),
            });
            printReport(report);
          }
          process.stdout.write(`wall time ${formatDuration((Date.now() - started) / 1000)}\n`);
          // A diverged run is a result (reportRun marks it with exit 1 for `normlab run`); a failed run
          // leaves its claims inconclusive and the command says so with exit 1.
          process.exitCode = failed > 0 ? 1 : 0;
        },
        jobs,
      );
    });
}

function estimateText(t: PlanTotal): string {
  const runs = `${t.toTrain} of ${t.runs} runs to train`;
  if (t.toTrain === 0) return `${runs}: nothing to train`;
  if (t.totalSec !== null) return `${runs}, about ${formatDuration(t.totalSec)} here`;
  const known = t.knownSec > 0 ? `at least ${formatDuration(t.knownSec)}; ` : '';
  return `${runs}, ${known}${t.unknownRuns} without a timing on this machine (--scale ${t.scale} --plan --calibrate times them)`;
}

/**
 * Runs at once by default. On a CPU, two runs on one core each train more images per second than one
 * run on two cores (wasm's second thread adds about 0.6 of a core on a VGG step, and almost nothing on
 * the DLN's small matrices). On a GPU, and at paper scale, one run at a time.
 */
function defaultJobs(scale: ReproScale, backend: BackendName | undefined): number {
  const cpu = backend === 'wasm' || backend === 'cpu' || backend === 'tensorflow';
  return cpu && scale !== 'paper' && availableParallelism() >= 2 ? 2 : 1;
}

/**
 * The backend the runs train on: the one asked for (--backend, else the defaultBackend setting), and
 * for `auto` what auto picks here (the backends' cached reports: autoChoice). Naming it keeps each
 * run's worker from probing the GPU backends again: two workers that load Dawn (webgpu) side by side
 * crash the process (seen here with Mesa's software OpenGL), so runs trained two at a time must not
 * touch it. Undefined when auto would fall back to the cpu backend (auto then warns in the run).
 */
async function resolveBackend(
  cli: CliSession,
  asked: BackendName | undefined,
  threads: ReturnType<typeof parseThreads>,
): Promise<BackendName | undefined> {
  const backend = asked ?? (await cli.call('settings.get', {})).defaultBackend ?? 'auto';
  if (backend !== 'auto') return backend;
  const reports = await cli.call('backends.list', threads !== undefined ? { threads } : {});
  return autoChoice(reports) ?? undefined;
}

function printPlan(plan: ReproPlanInfo, jobs: number): void {
  const out = process.stdout;
  out.write(
    `reproduction ${plan.tag}${plan.only ? ` (only ${plan.only})` : ''}: ${plan.templates.length} figures, claims ${plan.claims.join(', ')}\n`,
  );
  for (const d of plan.departures) out.write(`  departs from the paper: ${d}\n`);
  const rows = plan.runs.map((r) => [
    r.name,
    r.state,
    r.runId ?? '-',
    String(r.steps),
    [...new Set(r.uses.map((u) => u.template))].join(' '),
    r.estimateSec === null ? '?' : r.state === 'done' ? '-' : `~${formatDuration(r.estimateSec)}`,
  ]);
  out.write(formatTable(['run', 'state', 'id', 'steps', 'figures', 'time'], rows));
  const unknown = plan.runs.filter((r) => r.estimateSec === null);
  for (const r of unknown.slice(0, 3)) out.write(`  ${r.name}: ${r.basis}\n`);
  out.write(`${plan.scale}: ${estimateText(plan.total)}\n`);
  if (jobs > 1 && plan.total.toTrain > 1 && plan.total.totalSec !== null) {
    out.write(
      `  ${jobs} runs at once: about ${formatDuration(plan.total.totalSec / jobs)} of wall time if they share the machine evenly\n`,
    );
  }
  for (const t of plan.otherScales) out.write(`(${t.scale}: ${estimateText(t)})\n`);
}

type TrainOutcome = number | 'interrupted';

/**
 * Queues what is left and follows each queued run in turn. A diverged run is a result and the next
 * goes on; a failed run is reported and the next goes on; Ctrl-C stops them all (resumable by
 * running the same command again).
 */
async function train(
  cli: CliSession,
  plan: ReproPlanInfo,
  params: {
    scale: ReproScale;
    only?: string;
    reading?: string;
    backend?: BackendName;
    threads?: ReturnType<typeof parseThreads>;
    dataDir?: string;
  },
): Promise<TrainOutcome> {
  const start = await cli.call('reproduce.start', params);
  const err = process.stderr;
  if (start.reused.length > 0) err.write(`reusing ${start.reused.length} finished runs\n`);
  if (start.resumed.length > 0) err.write(`resuming ${start.resumed.length} interrupted runs\n`);
  for (const id of start.elsewhere)
    err.write(
      `run ${id} is training in another process; its claims wait for it (rerun this command later)\n`,
    );
  const names = new Map(plan.runs.flatMap((r) => (r.runId ? [[r.runId, r.name] as const] : [])));
  const streams = new RunStreams(cli);
  let left = [...start.queued];
  let failed = 0;
  let interrupted = false;
  try {
    await streams.watch(start.queued);
    await withInterrupts(
      cli,
      () => {
        interrupted = true;
        return left;
      },
      async () => {
        for (const [k, runId] of start.queued.entries()) {
          const name = names.get(runId) ?? (await cli.call('runs.get', { runId })).row.name;
          err.write(`reproduce ${plan.tag}: run ${k + 1} of ${start.queued.length}, ${name}\n`);
          const end = await streams.follow(runId);
          left = left.filter((id) => id !== runId);
          await reportRun(cli, end);
          if (end.outcome === 'failed') failed++;
          if (end.outcome === 'stopped' || interrupted) {
            // Ctrl-C already asked every run left to stop; a run stopped from the app stops the rest.
            // A run that ended meanwhile has nothing to stop.
            if (!interrupted) {
              for (const rest of left) await cli.call('runs.stop', { runId: rest }).catch(() => undefined);
            }
            err.write(`reproduction stopped; run the same command again to continue where it stopped\n`);
            interrupted = true;
            return;
          }
        }
      },
    );
  } finally {
    streams.close();
  }
  return interrupted ? 'interrupted' : failed;
}

function verdictTable(
  claims: readonly {
    claim: string;
    verdict: string;
    numbers: readonly {
      name: string;
      value: number | null;
      compare: string;
      threshold: number;
      pass: boolean;
    }[];
    missing: readonly string[];
  }[],
): string {
  const lines: string[] = [];
  for (const c of claims) {
    lines.push(`${c.claim}: ${c.verdict.toUpperCase()}`);
    for (const n of c.numbers) {
      lines.push(
        `  ${n.value === null ? ' -- ' : n.pass ? 'pass' : 'FAIL'}  ${n.name} = ${formatClaimNumber(n.value)} (${n.compare} ${formatClaimNumber(n.threshold)})`,
      );
    }
    for (const m of c.missing.slice(0, 5)) lines.push(`  missing: ${m}`);
  }
  return lines.join('\n');
}

function printReport(report: ReproReport): void {
  process.stdout.write(`report: ${report.index}\n`);
  if (!report.complete) process.stdout.write('(some runs are not done: their claims are inconclusive)\n');
}
