/** `normlab list | show | export | presets | backends`: read what is stored and what this machine has. */
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../../../shared/errors';
import { parseExperiment } from '../../../../shared/configOverrides';
import { FIGURES } from '../../../../shared/figures';
import { PRESETS } from '../../../../shared/presets';
import { RUN_STATUSES, type RunStatus } from '../../../../shared/runTypes';
import type { BackendReport } from '../../../../shared/backends';
import { describeBackends } from '../../../api/machine';
import { withApi, type DbOptions } from '../apiFromOptions';
import { csvLine } from '../csv';
import { finiteOrString } from '../json';
import { applyThreadsOption, dbOption, jsonOption, parseCount, threadsOption } from '../options';
import { formatTable } from '../table';

interface JsonOpt extends DbOptions {
  json?: boolean;
}

function print(text: string): void {
  process.stdout.write(text);
}

function printJson(value: unknown): void {
  print(`${JSON.stringify(value, null, 2)}\n`);
}

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function registerInfoCommands(program: Command): void {
  program
    .command('list')
    .description('list stored runs, newest first')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most n runs', (v) => parseCount(v, '--limit'))
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (opts: JsonOpt & { status?: string; limit?: number }) => {
      if (opts.status && !(RUN_STATUSES as readonly string[]).includes(opts.status)) {
        throw new UserError(
          'usage',
          `unknown status "${opts.status}"; use one of ${RUN_STATUSES.join(', ')}`,
        );
      }
      await withApi(opts, (api) => {
        const runs = api.listRuns({
          ...(opts.status ? { status: opts.status as RunStatus } : {}),
          ...(opts.limit ? { limit: opts.limit } : {}),
        });
        if (opts.json) return printJson(runs);
        if (runs.length === 0) return print(`no runs in ${api.dbPath}\n`);
        print(
          formatTable(
            ['ID', 'STATUS', 'STEP', 'NETWORK', 'NORM', 'BACKEND', 'CREATED', 'NAME'],
            runs.map((r) => {
              const c = describeConfig(r.config);
              const total = c.steps ? `/${c.steps}` : '';
              return [
                r.id,
                r.status,
                `${r.lastStep ?? 0}${total}`,
                c.network,
                c.norm,
                r.backend ?? '-',
                when(r.createdAt),
                r.name,
              ];
            }),
          ),
        );
      });
    });

  program
    .command('show')
    .description("a run's config, status, device, metric series and checkpoints")
    .argument('<id>', 'run id')
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (id: string, opts: JsonOpt) => {
      await withApi(opts, (api) => {
        const detail = api.runDetail(id);
        if (opts.json) return printJson(detail);
        const { run } = detail;
        const lines = [
          `run         ${run.id}${run.name ? ` (${run.name})` : ''}`,
          `status      ${run.status}${run.divergedAtStep !== null ? ` at step ${run.divergedAtStep}` : ''}`,
          `step        ${run.lastStep ?? 0}`,
          `backend     ${run.backend ?? '-'}${run.device ? ` on ${run.device}` : ''}${run.softwareDevice ? ' (software device)' : ''}`,
          `seed        ${run.seed}`,
          `created     ${when(run.createdAt)}   started ${when(run.startedAt)}   ended ${when(run.endedAt)}`,
        ];
        if (run.error) lines.push(`error       ${run.error}`);
        print(`${lines.join('\n')}\n\nconfig\n${JSON.stringify(run.config, null, 2)}\n\n`);
        print(
          detail.series.length === 0
            ? 'no metrics yet\n'
            : formatTable(
                ['SERIES', 'STEPS', 'LAST', 'MIN', 'MAX'],
                detail.series.map((s) => [
                  s.name,
                  `${s.firstStep}-${s.lastStep}`,
                  fmt(s.last),
                  fmt(s.min),
                  fmt(s.max),
                ]),
              ),
        );
        if (detail.probes.length > 0) {
          print(
            `\n${formatTable(
              ['PROBE', 'RECORDS', 'STEPS', 'ERRORS'],
              detail.probes.map((p) => [
                p.probe,
                String(p.records),
                `${p.firstStep}-${p.lastStep}`,
                p.errors === 0 ? '0' : `${p.errors} (last: ${p.lastError ?? ''})`,
              ]),
            )}`,
          );
        }
        if (detail.slices.length > 0) {
          print(
            `\nloss slices: ${detail.slices
              .map((j) => `${j.id} (step ${j.step}, ${j.settings.dims}D, ${j.done}/${j.total}, ${j.status})`)
              .join(', ')}; \`normlab slices ${run.id}\` has them\n`,
          );
        }
        print(
          detail.checkpoints.length === 0
            ? '\nno checkpoints\n'
            : `\ncheckpoints at steps ${detail.checkpoints.map((c) => c.step).join(', ')}\n`,
        );
      });
    });

  program
    .command('export')
    .description(
      "a run's full metric history as CSV (series,step,value,time) or JSON (with the probes' structured records)",
    )
    .argument('<id>', 'run id')
    .requiredOption('--format <format>', 'csv or json')
    .option('--out <file>', 'write to a file instead of standard output')
    .addOption(dbOption())
    .action(async (id: string, opts: DbOptions & { format: string; out?: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'json') {
        throw new UserError('usage', `--format must be csv or json, not "${opts.format}"`);
      }
      await withApi(opts, async (api) => {
        const run = api.getRunRecord(id);
        const rows = api.exportRows(run.id);
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        const write = (text: string): Promise<void> =>
          new Promise((resolve, reject) => {
            out.write(text, (e) => (e ? reject(e) : resolve()));
          });
        if (opts.format === 'csv') {
          await write(csvLine(['series', 'step', 'value', 'time']));
          let chunk = '';
          for (const r of rows) {
            chunk += csvLine([r.series, r.step, r.value, new Date(r.time).toISOString()]);
            if (chunk.length > 1 << 16) {
              await write(chunk);
              chunk = '';
            }
          }
          await write(chunk);
        } else {
          // JSON has no NaN/Infinity: non-finite values are written as strings ("NaN", "Infinity").
          const series: Record<string, { step: number; value: number | string; time: number }[]> = {};
          for (const r of rows) {
            (series[r.series] ??= []).push({
              step: r.step,
              value: Number.isFinite(r.value) ? r.value : String(r.value),
              time: r.time,
            });
          }
          // Probe records keep non-finite numbers the same way.
          const probes = api.probeRecords(run.id);
          const slices = api.listSlices(run.id).map((job) => ({ ...job, points: api.slicePoints(job.id) }));
          await write(`${JSON.stringify({ run, series, probes, slices }, finiteOrString, 2)}\n`);
        }
        if (opts.out)
          await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
      });
    });

  program
    .command('presets')
    .description("the named experiments, and the paper's figures as sets of runs")
    .addOption(jsonOption())
    .action((opts: JsonOpt) => {
      if (opts.json)
        return printJson(PRESETS.map((p) => ({ ...p, resolved: parseExperiment(p.config, p.name) })));
      print(
        formatTable(
          ['PRESET', 'DESCRIPTION'],
          PRESETS.filter((p) => !p.name.includes('/')).map((p) => [p.name, p.description]),
        ),
      );
      print(
        `\n${formatTable(
          ['FIGURE', 'RUNS (preset FIGURE/RUN)', 'DESCRIPTION'],
          FIGURES.map((f) => [f.name, f.runs.map((r) => r.label).join(' '), f.description]),
        )}` +
          '\n`normlab run --preset FIGURE` trains every run of a figure in turn; `--preset FIGURE/RUN` one of them.\n',
      );
    });

  program
    .command('backends')
    .description('what each compute backend says about itself on this machine')
    .addOption(jsonOption())
    .addOption(threadsOption())
    .action(async (opts: JsonOpt & { threads?: string }) => {
      {
        applyThreadsOption(opts.threads);
        const reports = await describeBackends();
        if (opts.json) return printJson(reports);
        print(
          formatTable(
            ['BACKEND', 'AVAILABLE', 'DEVICE', 'NOTES'],
            reports.map((r) => [
              r.name,
              r.available ? 'yes' : 'no',
              r.device ? `${r.device}${r.software ? ' (software)' : ''}` : '-',
              r.available ? backendNotes(r) : (r.reason ?? ''),
            ]),
          ),
        );
      }
    });
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return Number.isFinite(v) ? v.toPrecision(5) : String(v);
}

/** Network, normalization and step count of a stored config, tolerant of configs from other versions. */
function describeConfig(config: unknown): { network: string; norm: string; steps: number | null } {
  const c = config as { model?: { network?: string; normalization?: string }; schedule?: { steps?: number } };
  return {
    network: c.model?.network ?? '?',
    norm: c.model?.normalization ?? '?',
    steps: c.schedule?.steps ?? null,
  };
}

/** Thread count (wasm), a fallback's reason if any, and the start-up time. */
function backendNotes(r: BackendReport): string {
  const notes: string[] = [];
  const { threadsCount, threadsError } = r.details;
  if (typeof threadsCount === 'number') notes.push(`${threadsCount} thread(s)`);
  if (typeof threadsError === 'string') notes.push(`multi-threaded build unavailable: ${threadsError}`);
  notes.push(`${Math.round(r.probeMs)} ms to start`);
  return notes.join(', ');
}
