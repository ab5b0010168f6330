/** `normlab list | show | export | presets | backends`: read what is stored and what this machine has. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ApiResult } from '../../../../shared/api';
import type { BackendReport } from '../../../../shared/backends';
import { RUN_STATUSES, type RunStatus } from '../../../../shared/runTypes';
import { EXPORT_FORMATS, type ExportFormat } from '../../../api/runExport';
import { withService, type DbOptions } from '../cliSession';
import { cannotWrite } from '../outFile';
import { dbOption, jsonOption, parseCount, parseThreads, threadsOption } from '../options';
import { formatDuration } from '../progressView';
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

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerInfoCommands(program: Command): void {
  program
    .command('list')
    .description('list stored runs, newest first')
    .addOption(new Option('--status <status>', 'only runs with this status').choices([...RUN_STATUSES]))
    .option('--tag <tag>', 'only runs with this tag (repeatable: every tag)', collect, [])
    .option(
      '--search <text>',
      'only runs whose id, name, notes, network, normalization, backend or tags hold every word',
    )
    .option('--limit <n>', 'at most n runs', (v) => parseCount(v, '--limit'))
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(
      async (opts: JsonOpt & { status?: RunStatus; tag: string[]; search?: string; limit?: number }) => {
        await withService(opts, async (cli) => {
          const { total, rows } = await cli.call('runs.list', {
            ...(opts.status ? { status: [opts.status] } : {}),
            ...(opts.tag.length ? { tags: opts.tag } : {}),
            ...(opts.search ? { search: opts.search } : {}),
            limit: Math.min(opts.limit ?? 10_000, 10_000),
          });
          if (opts.json) return printJson(rows);
          if (rows.length === 0) return print(`no runs in ${cli.service.dbPath}\n`);
          print(
            formatTable(
              ['ID', 'STATUS', 'STEP', 'NETWORK', 'NORM', 'BACKEND', 'CREATED', 'TAGS', 'NAME'],
              rows.map((r) => [
                r.id,
                r.status,
                `${r.lastStep ?? 0}/${r.totalSteps}`,
                r.network,
                r.normalization,
                r.backend ?? '-',
                when(r.createdAt),
                r.tags.join(',') || '-',
                r.name,
              ]),
            ),
          );
          if (total > rows.length) print(`(${rows.length} of ${total} runs; --limit shows more)\n`);
        });
      },
    );

  program
    .command('tag')
    .description("set a run's tags (none and no --notes: clear them), and its notes with --notes")
    .argument('<id>', 'run id')
    .argument('[tags...]', 'the tags, e.g. baseline paper')
    .option('--notes <text>', "the run's notes")
    .addOption(dbOption())
    .action(async (id: string, tags: string[], opts: DbOptions & { notes?: string }) => {
      await withService(opts, async (cli) => {
        const row = await cli.call('runs.update', {
          runId: id,
          // `tag ID --notes TEXT` leaves the tags as they are; `tag ID` alone clears them.
          ...(tags.length > 0 || opts.notes === undefined ? { tags } : {}),
          ...(opts.notes !== undefined ? { notes: opts.notes } : {}),
        });
        print(`run ${row.id} tags: ${row.tags.join(', ') || '(none)'}\n`);
      });
    });

  program
    .command('show')
    .description("a run's config, status, device, metric series and checkpoints")
    .argument('<id>', 'run id')
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (id: string, opts: JsonOpt) => {
      await withService(opts, async (cli) => {
        const detail = await cli.call('runs.get', { runId: id });
        if (opts.json) return printJson(detail);
        printDetail(detail);
      });
    });

  program
    .command('export')
    .description(
      "a run's full metric history as CSV (series,step,value,time) or JSON (with the probes' structured records)",
    )
    .argument('<id>', 'run id')
    .addOption(
      new Option('--format <format>', 'csv or json').choices([...EXPORT_FORMATS]).makeOptionMandatory(),
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .addOption(dbOption())
    .action(async (id: string, opts: DbOptions & { format: ExportFormat; out?: string }) => {
      await withService(opts, async (cli) => {
        const chunks = cli.service.exportRun(id, opts.format);
        if (opts.out) writeFile(opts.out, chunks);
        else for (const chunk of chunks) await writeStdout(chunk);
      });
    });

  program
    .command('presets')
    .description("the named experiments, and the paper's figures as sets of runs")
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (opts: JsonOpt) => {
      await withService(opts, async (cli) => {
        const presets = await cli.call('presets.list', {});
        // `resolved`: the config with every default filled in (what a run of it stores).
        if (opts.json) return printJson(presets.map((p) => ({ ...p, resolved: p.config })));
        const figures = await cli.call('figures.list', {});
        const estimate = (sec: number | null): string => (sec === null ? '-' : `~${formatDuration(sec)}`);
        print(
          formatTable(
            ['PRESET', 'ESTIMATE', 'DESCRIPTION'],
            presets
              .filter((p) => p.figure === null)
              .map((p) => [p.name, estimate(p.estimateSec), p.description]),
          ),
        );
        print(
          `\n${formatTable(
            ['FIGURE', 'ESTIMATE', 'RUNS (preset FIGURE/RUN)', 'DESCRIPTION'],
            figures.map((f) => [
              f.name,
              estimate(f.estimateSec),
              f.runs.map((r) => r.label).join(' '),
              f.description,
            ]),
          )}` +
            '\n`normlab run --preset FIGURE` trains every run of a figure in turn; `--preset FIGURE/RUN` one of them.\n' +
            'Estimates come from the runs stored in the database (`normlab presets --json` says which).\n',
        );
      });
    });

  program
    .command('backends')
    .description('what each compute backend says about itself on this machine')
    .addOption(jsonOption())
    .addOption(threadsOption())
    .addOption(dbOption())
    .action(async (opts: JsonOpt & { threads?: string }) => {
      const threads = parseThreads(opts.threads);
      await withService(opts, async (cli) => {
        const reports = await cli.call('backends.list', { ...(threads !== undefined ? { threads } : {}) });
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
      });
    });
}

function printDetail(detail: ApiResult<'runs.get'>): void {
  const { run, row } = detail;
  const lines = [
    `run         ${run.id}${run.name ? ` (${run.name})` : ''}`,
    `status      ${run.status}${run.divergedAtStep !== null ? ` at step ${run.divergedAtStep}` : ''}`,
    `step        ${run.lastStep ?? 0}`,
    `backend     ${run.backend ?? '-'}${run.device ? ` on ${run.device}` : ''}${run.softwareDevice ? ' (software device)' : ''}`,
    `seed        ${run.seed}`,
    `created     ${when(run.createdAt)}   started ${when(run.startedAt)}   ended ${when(run.endedAt)}`,
  ];
  if (row.tags.length > 0) lines.push(`tags        ${row.tags.join(', ')}`);
  if (run.error) lines.push(`error       ${run.error}`);
  if (row.notes) lines.push(`notes       ${row.notes.replace(/\n/g, '\n            ')}`);
  print(`${lines.join('\n')}\n\nconfig\n${JSON.stringify(run.config, null, 2)}\n\n`);
  print(
    detail.series.length === 0
      ? 'no metrics yet\n'
      : formatTable(
          ['SERIES', 'STEPS', 'POINTS', 'LAST', 'MIN', 'MAX'],
          detail.series.map((s) => [
            s.name,
            `${s.firstStep}-${s.lastStep}`,
            String(s.points),
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
        .map((j) => {
          const settings = j.settings as { dims: number };
          return `${j.id} (step ${j.step}, ${settings.dims}D, ${j.done}/${j.total}, ${j.status})`;
        })
        .join(', ')}; \`normlab slices ${run.id}\` has them\n`,
    );
  }
  print(
    detail.checkpoints.length === 0
      ? '\nno checkpoints\n'
      : `\ncheckpoints at steps ${detail.checkpoints.map((c) => c.step).join(', ')}\n`,
  );
}

/**
 * Writes the chunks to `path`; a path that cannot be written (a missing folder, a folder, no
 * permission, a full disk) is one UserError that says so.
 */
function writeFile(path: string, chunks: Iterable<string>): void {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw cannotWrite(path, e);
  }
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw cannotWrite(path, e);
  } finally {
    closeSync(fd);
  }
}

/** Writes to standard output, waiting when the pipe is full. */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (e) => (e ? reject(e) : resolve()));
  });
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return Number.isFinite(v) ? v.toPrecision(5) : String(v);
}

/** Thread count (wasm), a fallback's reason if any, and the start-up time. */
function backendNotes(r: Pick<BackendReport, 'details' | 'probeMs'>): string {
  const notes: string[] = [];
  const { threadsCount, threadsError } = r.details;
  if (typeof threadsCount === 'number') notes.push(`${threadsCount} thread(s)`);
  if (typeof threadsError === 'string') notes.push(`multi-threaded build unavailable: ${threadsError}`);
  notes.push(`${Math.round(r.probeMs)} ms to start`);
  return notes.join(', ');
}
