/**
 * The figure export's part of `npm run bench` (issue 8): the time to export a six-panel paper figure
 * (Fig 1 by default: training and test accuracy with the paper's curves, and four activation ridge
 * plots) as PDF and as PNG at 300 DPI, two journal columns wide, as `figures.export` does it: the
 * figure read from the store for the printed width, the chart option in the print look, ECharts'
 * SVG, then pdfkit or resvg. SVG alone for reference. Not a test: nothing is asserted.
 *
 *   npx tsx bench/figureExport.ts [--template fig1] [--seeds 3] [--repeats 5] [--json]
 *
 * The runs are the figure fixture's (test/helpers/figureRuns.ts: every slot filled, `--seeds` runs
 * each, 200 steps) in a throwaway database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportFigure, exportedFigure } from '../src/main/api/figures/figureExport';
import { openStore } from '../src/main/store/index';
import { findTemplate } from '../src/shared/figureTemplates';
import { exportSizeSchema, figureSpecSchema, type ExportFormat } from '../src/shared/plots';
import { readPng } from '../test/main/api/figures/figureFiles';
import { seedFigureRuns } from '../test/helpers/figureRuns';

interface Options {
  template: string;
  seeds: number;
  repeats: number;
  json: boolean;
}

interface ExportBenchResult {
  template: string;
  panels: number;
  widthMm: number;
  heightMm: number;
  dpi: number;
  repeats: number;
  svgMs: number;
  pdfMs: number;
  pngMs: number;
  svgBytes: number;
  pdfBytes: number;
  pngBytes: number;
  pngWidth: number;
  pngHeight: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { template: 'fig1', seeds: 3, repeats: 5, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--template') o.template = String(argv[++i]);
    else if (a === '--seeds') o.seeds = Number(argv[++i]);
    else if (a === '--repeats') o.repeats = Number(argv[++i]);
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!findTemplate(o.template)) throw new Error(`no figure template ${o.template}`);
  if (!(Number.isInteger(o.seeds) && o.seeds >= 1)) throw new Error('--seeds must be a positive integer');
  if (!(Number.isInteger(o.repeats) && o.repeats >= 1))
    throw new Error('--repeats must be a positive integer');
  return o;
}

/** The median of `repeats` timed calls after one untimed (module loading, font parsing, JIT). */
async function median(repeats: number, task: () => Promise<unknown>): Promise<number> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await task();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function runExportBench(o: Options): Promise<ExportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-export-bench-'));
  const store = openStore(join(dir, 'bench.sqlite'));
  try {
    seedFigureRuns(store, { templates: [o.template], seeds: o.seeds });
    const ctx = { store, dbPath: store.path };
    const spec = figureSpecSchema.parse({ kind: 'template', template: o.template });
    const size = exportSizeSchema.parse({ dpi: 300 });
    const bytes = async (format: ExportFormat): Promise<Buffer> =>
      Buffer.from((await exportFigure(ctx, spec, format, size)).base64, 'base64');
    const { figure, size: printed } = exportedFigure(ctx, spec, size);
    const svg = await bytes('svg');
    const pdf = await bytes('pdf');
    const png = await bytes('png');
    const pngInfo = readPng(png);
    return {
      template: o.template,
      panels: figure.panels.length,
      widthMm: printed.widthMm,
      heightMm: printed.heightMm,
      dpi: printed.dpi,
      repeats: o.repeats,
      svgMs: await median(o.repeats, () => bytes('svg')),
      pdfMs: await median(o.repeats, () => bytes('pdf')),
      pngMs: await median(o.repeats, () => bytes('png')),
      svgBytes: svg.length,
      pdfBytes: pdf.length,
      pngBytes: png.length,
      pngWidth: pngInfo.width,
      pngHeight: pngInfo.height,
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: ExportBenchResult): string {
  const ms = (x: number): string => `${x.toFixed(0).padStart(5)} ms`;
  const kib = (b: number): string => `${(b / 1024).toFixed(0)} KiB`;
  return (
    `Figure export: ${r.template}, ${r.panels} panels, ${r.widthMm.toFixed(1)} x ${r.heightMm.toFixed(1)} mm ` +
    `(median of ${r.repeats}; read, option and SVG included)\n` +
    `  PDF            ${ms(r.pdfMs)}  ${kib(r.pdfBytes)}\n` +
    `  PNG @ ${r.dpi} dpi  ${ms(r.pngMs)}  ${kib(r.pngBytes)}  ${r.pngWidth} x ${r.pngHeight} px\n` +
    `  SVG            ${ms(r.svgMs)}  ${kib(r.svgBytes)}\n`
  );
}

const options = parseArgs(process.argv.slice(2));
const result = await runExportBench(options);
process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : report(result));
