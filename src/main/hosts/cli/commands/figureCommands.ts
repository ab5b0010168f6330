/**
 * `normlab figure`, `normlab figures` and `normlab compare`: a paper figure filled with stored runs,
 * or runs side by side, exported as a file (SVG, PDF, PNG at a DPI, or the plotted data as CSV or
 * JSON). The figure is built and rendered by the service (`figures.export`), as the app's export is.
 */
import type { Command } from 'commander';
import type { ApiResult } from '../../../../shared/api';
import { UserError } from '../../../../shared/errors';
import { findTemplate } from '../../../../shared/figureTemplates';
import type { RunStatus } from '../../../../shared/runTypes';
import { FIGURE_WIDTH_MM, X_AXES, type FigureSpecInput, type XAxis } from '../../../../shared/plots';
import { withService, type CliSession, type DbOptions } from '../cliSession';
import {
  parseBand,
  parseExport,
  parseSmoothing,
  splitList,
  type ExportChoice,
  type ExportFlags,
} from '../figureOptions';
import { figureFileLine } from '../figureReport';
import { dbOption, jsonOption } from '../options';
import { checkWritable, writeFileAtomic } from '../outFile';
import { formatTable } from '../table';

type TemplateInfo = ApiResult<'figures.templates'>[number];

interface FigureFlags extends ExportFlags, DbOptions {
  list?: boolean;
  json?: boolean;
  runs?: string;
  slot: string[];
  paper: boolean;
}

interface CompareFlags extends ExportFlags, DbOptions {
  metric: string[];
  x?: string;
  groupBy: string[];
  logX?: boolean;
  logY?: boolean;
  columns?: string;
  title?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const mm = (v: number): string => v.toFixed(1);

/** The options both export commands take. */
function exportOptions(command: Command): Command {
  return command
    .option('--format <format>', 'svg, pdf, png, csv or json (default: from the --out extension)')
    .option('--out <file>', 'the file to write (replaced whole when the export is done)')
    .option('--dpi <n>', 'PNG resolution in dots per inch (default 300)')
    .option(
      '--width-mm <mm>',
      `printed width in mm (default ${mm(FIGURE_WIDTH_MM.twoColumn)}, two journal columns; one column: ${mm(FIGURE_WIDTH_MM.oneColumn)})`,
    )
    .option('--height-mm <mm>', 'printed height in mm (default: from the number of panel rows)')
    .option('--smoothing <alpha>', 'debiased EMA of the lines, 0 (off, the default) to 0.999')
    .option('--band <kind>', "a group's band over its runs: minmax (default) or std (mean +- one std)");
}

export function registerFigureCommands(program: Command): void {
  exportOptions(
    program
      .command('figure')
      .description('export a paper figure filled with stored runs, or its data (see `normlab figures`)')
      .argument(
        '[figure]',
        'the figure template, e.g. fig4 (fig4-cpu: the same figure from the CPU-scale runs only)',
      )
      .option('--list', 'list the figure templates, their slots and the runs that fill them')
      .option('--runs <ids>', 'comma-separated run ids filling the slots in order, one run each')
      .option(
        '--slot <label=ids>',
        'the runs of one slot, e.g. --slot bn=ab12cd34,ef56ab78 (repeatable; others keep their runs)',
        collect,
        [],
      )
      .option('--no-paper', "leave out the paper's own curves"),
  )
    .addOption(jsonOption())
    .addOption(dbOption())
    .action(async (name: string | undefined, flags: FigureFlags) => {
      if (flags.list) return listTemplates(flags);
      if (name === undefined) {
        throw new UserError(
          'usage',
          'name the figure, e.g. `normlab figure fig4`; `normlab figures` lists them',
        );
      }
      const choice = checkedExport(flags);
      await withService(flags, async (cli) => {
        const template = templateNamed(await cli.call('figures.templates', {}), name);
        const slots = await cpuScaleSlots(cli, template, name, slotRuns(template, flags));
        requireSomeRuns(template, name, slots, cli.service.dbPath);
        const smoothing = parseSmoothing(flags.smoothing);
        const band = parseBand(flags.band);
        await exportTo(cli, choice, {
          kind: 'template',
          template: template.name,
          slots,
          paper: flags.paper,
          ...(smoothing !== undefined ? { smoothing } : {}),
          ...(band !== undefined ? { band } : {}),
        });
      });
    });

  program
    .command('figures')
    .description('the figure templates, their slots and the runs that fill them by default')
    .addOption(jsonOption())
    .addOption(dbOption())
    .action((flags: DbOptions & { json?: boolean }) => listTemplates(flags));

  exportOptions(
    program
      .command('compare')
      .description('runs side by side, one panel per metric, exported as a figure or its data')
      .argument('<ids...>', 'the runs (see `normlab list`)')
      .option('--metric <name>', 'a stored series, e.g. train/loss (repeatable: one panel each)', collect, [])
      .option('--x <axis>', 'x axis: step (default), epoch or time (wall-clock seconds)')
      .option(
        '--group-by <key>',
        'config key whose equal values make one line, e.g. model.normalization (repeatable)',
        collect,
        [],
      )
      .option('--log-x', 'logarithmic x axis')
      .option('--log-y', 'logarithmic y axis')
      .option('--columns <n>', 'panels per row (default 2)')
      .option('--title <text>', 'the figure title'),
  )
    .addOption(dbOption())
    .action(async (ids: string[], flags: CompareFlags) => {
      const runIds = ids.flatMap(splitList);
      const metrics = flags.metric.flatMap(splitList);
      if (metrics.length === 0) {
        throw new UserError(
          'usage',
          "give --metric NAME, e.g. --metric train/loss (`normlab show ID` lists a run's series)",
        );
      }
      const choice = checkedExport(flags);
      const x = parseAxis(flags.x);
      const smoothing = parseSmoothing(flags.smoothing);
      const band = parseBand(flags.band);
      const columns = flags.columns === undefined ? undefined : parseColumns(flags.columns);
      const scale = (log: boolean | undefined): 'log' | 'linear' => (log ? 'log' : 'linear');
      await withService(flags, async (cli) => {
        await requireMetrics(cli, runIds, metrics);
        await exportTo(cli, choice, {
          kind: 'compare',
          runIds,
          panels: metrics.map((metric) => ({ metric, xScale: scale(flags.logX), yScale: scale(flags.logY) })),
          groupBy: flags.groupBy.flatMap(splitList),
          ...(x !== undefined ? { x } : {}),
          ...(smoothing !== undefined ? { smoothing } : {}),
          ...(band !== undefined ? { band } : {}),
          ...(columns !== undefined ? { columns } : {}),
          ...(flags.title !== undefined ? { title: flags.title } : {}),
        });
      });
    });
}

/** The format, size and --out, checked (the --out folder too) before the database is opened. */
function checkedExport(flags: ExportFlags): ExportChoice {
  const choice = parseExport(flags);
  checkWritable(choice.out);
  return choice;
}

async function exportTo(cli: CliSession, choice: ExportChoice, spec: FigureSpecInput): Promise<void> {
  const file = await cli.call('figures.export', { spec, format: choice.format, size: choice.size });
  const bytes = Buffer.from(file.base64, 'base64');
  writeFileAtomic(choice.out, bytes);
  process.stdout.write(`${figureFileLine(choice.out, choice.format, bytes, choice.size.dpi)}\n`);
}

async function listTemplates(flags: DbOptions & { json?: boolean }): Promise<void> {
  await withService(flags, async (cli) => {
    const templates = await cli.call('figures.templates', {});
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(templates, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      formatTable(
        ['FIGURE', 'PANELS', 'SLOTS (label: runs by default)', 'TITLE'],
        templates.map((t) => [
          t.name,
          String(t.panels.length),
          t.slots.map((s) => `${s.label}: ${runsText(s.runIds)}`).join('  '),
          t.title,
        ]),
      ) +
        '\nSlots are filled with the runs named FIGURE/LABEL (`normlab run --preset fig4-cpu` trains them;\n' +
        '`normlab figures --json` lists their ids); `normlab figure fig4 --runs ID,ID --out fig4.pdf`\n' +
        'picks the runs of the slots in order.\n',
    );
  });
}

/** A slot's default runs in the table: its one run, or how many (seeds) it has. */
function runsText(runIds: readonly string[]): string {
  if (runIds.length === 0) return '-';
  return runIds.length === 1 ? (runIds[0] ?? '') : `${runIds.length} runs`;
}

/** The template `name` names: its own name, or a figure preset's (`fig4-cpu` is fig4 at CPU scale). */
export function templateNamed(templates: readonly TemplateInfo[], name: string): TemplateInfo {
  const wanted = name.trim().toLowerCase();
  const found =
    templates.find((t) => t.name === wanted) ??
    templates.find((t) => wanted.endsWith('-cpu') && t.name === wanted.slice(0, -'-cpu'.length));
  if (found) return found;
  throw new UserError(
    'usage',
    `no figure template "${name}"; choose one of ${templates.map((t) => t.name).join(', ')} (\`normlab figures\` lists them)`,
  );
}

/** The runs of each slot given by --runs (in order, one each) or --slot LABEL=IDS. */
export function slotRuns(
  template: TemplateInfo,
  flags: Pick<FigureFlags, 'runs' | 'slot'>,
): Record<string, string[]> {
  const labels = template.slots.map((s) => s.label);
  if (flags.runs !== undefined && flags.slot.length > 0) {
    throw new UserError('usage', 'give --runs (the slots in order) or --slot LABEL=IDS, not both');
  }
  if (flags.runs !== undefined) {
    const ids = splitList(flags.runs);
    if (ids.length === 0 || ids.length > labels.length) {
      throw new UserError(
        'usage',
        `${template.name} has ${labels.length} slots (${labels.join(', ')}); --runs gave ${ids.length} run(s)`,
      );
    }
    return Object.fromEntries(ids.map((id, i) => [labels[i] ?? '', [id]]));
  }
  const slots: Record<string, string[]> = {};
  for (const text of flags.slot) {
    const eq = text.indexOf('=');
    const label = text.slice(0, eq).trim();
    const ids = splitList(text.slice(eq + 1));
    if (eq < 0 || ids.length === 0) {
      throw new UserError(
        'usage',
        `--slot takes LABEL=ID[,ID...], e.g. --slot ${labels[0] ?? 'bn'}=ab12cd34, not "${text}"`,
      );
    }
    if (!labels.includes(label)) {
      throw new UserError(
        'usage',
        `${template.name} has no slot "${label}"; its slots are ${labels.join(', ')}`,
      );
    }
    slots[label] = [...(slots[label] ?? []), ...ids];
  }
  return slots;
}

/** Statuses whose runs have nothing to show (yet) or failed, as the template's default fill skips them. */
const NOTHING_TO_SHOW: readonly RunStatus[] = ['failed', 'queued'];

/**
 * `normlab figure fig4-cpu`: the slots the user did not fill take the CPU-scale runs only
 * (`fig4-cpu/LABEL`, or a CPU-scale source the template also draws on, e.g. fig 8's `fig2-cpu`),
 * where the plain template name takes whichever scale was trained last.
 */
async function cpuScaleSlots(
  cli: CliSession,
  template: TemplateInfo,
  name: string,
  picked: Record<string, string[]>,
): Promise<Record<string, string[]>> {
  const wanted = name.trim().toLowerCase();
  if (wanted === template.name) return picked;
  const sources = (findTemplate(template.name)?.sources ?? [wanted]).filter((s) => s.endsWith('-cpu'));
  const slots = { ...picked };
  for (const { label } of template.slots) {
    if (slots[label] !== undefined) continue;
    slots[label] = [];
    for (const source of sources) {
      const runName = `${source}/${label}`;
      const { rows } = await cli.call('runs.list', { search: runName, limit: 10_000 });
      const ids = rows
        .filter((r) => r.name === runName && !NOTHING_TO_SHOW.includes(r.status))
        .map((r) => r.id);
      if (ids.length > 0) {
        slots[label] = ids;
        break;
      }
    }
  }
  return slots;
}

/** A figure with no run in any slot is empty: say which preset trains its runs. */
function requireSomeRuns(
  template: TemplateInfo,
  name: string,
  slots: Record<string, string[]>,
  dbPath: string,
): void {
  const filled = template.slots.some((s) => (slots[s.label] ?? s.runIds).length > 0);
  if (filled) return;
  const preset = name.endsWith('-cpu') ? name : `${template.name}-cpu`;
  throw new UserError(
    'not-found',
    `no runs for ${template.name} in ${dbPath}: train them with \`normlab run --preset ${preset}\` ` +
      `(or --preset ${template.name} at paper scale), or name runs with --runs ID,...`,
  );
}

function parseAxis(text: string | undefined): XAxis | undefined {
  if (text === undefined) return undefined;
  if (!(X_AXES as readonly string[]).includes(text)) {
    throw new UserError('usage', `--x takes ${X_AXES.join(', ')}, not "${text}"`);
  }
  return text as XAxis;
}

function parseColumns(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 4) {
    throw new UserError('usage', `--columns takes a whole number from 1 to 4, not "${text}"`);
  }
  return n;
}

/** Every --metric must be a series of at least one of the runs (an unknown run is refused first). */
async function requireMetrics(cli: CliSession, runIds: string[], metrics: string[]): Promise<void> {
  for (const runId of new Set(runIds)) await cli.call('runs.get', { runId });
  const stored = await cli.call('compare.metrics', { runIds });
  const names = new Set(stored.map((m) => m.name));
  for (const metric of metrics) {
    if (names.has(metric)) continue;
    const near = stored
      .map((m) => m.name)
      .filter((n) => n.includes(metric) || metric.includes(n.split('/').pop() ?? n))
      .slice(0, 5);
    throw new UserError(
      'not-found',
      `none of the runs has the series "${metric}"` +
        (near.length > 0
          ? `; did you mean ${near.join(', ')}?`
          : `; \`normlab show ${runIds[0] ?? 'ID'}\` lists a run's series`),
    );
  }
}
