/**
 * exportFigure end to end over a real store: a compare of two runs with known points, exported in
 * every format and read back with independent readers (figureFiles.ts: XML parser, PNG chunks, PDF
 * objects; a CSV reader here), checked against the points as stored; a long series read at the
 * export's panel width; a paper figure template from the figure fixture.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFigure, exportedFigure } from '../../../../src/main/api/figures/figureExport';
import { openStore, type Store } from '../../../../src/main/store';
import { experimentSchema, type NormalizationName } from '../../../../src/shared/config';
import { OKABE_ITO } from '../../../../src/shared/plotLook';
import {
  compareSpecSchema,
  exportSizeSchema,
  figureSpecSchema,
  type ExportFormat,
  type FigureSpec,
  type FigureSpecInput,
  type PlotFigure,
} from '../../../../src/shared/plots';
import { mmToPt } from '../../../../src/shared/printUnits';
import { csvRecords } from '../../../helpers/csvRows';
import { seedFigureRuns } from '../../../helpers/figureRuns';
import { tempDirs } from '../../../helpers/tempDirs';
import { userErrorOf } from '../../../helpers/userError';
import { allElements, parseSvg, pathCommands, readPdf, readPng, seriesPaths } from './figureFiles';

const dirs = tempDirs('figure-export');
let store: Store;
const ctx = () => ({ store, dbPath: store.path });

const POINTS = 20;
/** Values String() must write in full, and a NaN in the second run: a gap in its line. */
const valuesA = Array.from({ length: POINTS }, (_, i) => 1 / (i + 3));
const valuesB = Array.from({ length: POINTS }, (_, i) => (i === 10 ? Number.NaN : 2 / (i + 7)));
const LONG = 50_000;
let runA = '';
let runB = '';
let runLong = '';

function addRun(name: string, normalization: NormalizationName, series: Record<string, number[]>): string {
  const id = store.createRun(
    experimentSchema.parse({
      name,
      model: { network: 'dln25', normalization },
      data: { dataset: 'dln-synthetic' },
      optimizer: { lr: 1e-6 },
      schedule: { steps: LONG },
    }),
  );
  store.markRunning(id, { backend: 'cpu', device: 'cpu', softwareDevice: false });
  const points = Object.entries(series).flatMap(([s, values]) =>
    values.map((value, i) => ({ series: s, step: (i + 1) * 5, value })),
  );
  store.appendPoints(id, points, { lastStep: LONG });
  store.finish(id, 'completed');
  return id;
}

beforeAll(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
  runA = addRun('a', 'batch', { 'train/loss': valuesA });
  runB = addRun('b', 'none', { 'train/loss': valuesB });
  const long = Array.from({ length: LONG }, (_, i) => Math.exp(-i / 5000) + 0.1 * Math.sin(i));
  runLong = addRun('long', 'batch', { 'train/loss': long, 'train/a': long, 'train/b': long });
  seedFigureRuns(store, { templates: ['fig3a'] });
});
afterAll(() => {
  store.close();
  dirs.cleanup();
});

function compare(extra: Partial<FigureSpecInput> = {}): FigureSpec {
  return figureSpecSchema.parse({
    kind: 'compare',
    runIds: [runA, runB],
    panels: [{ metric: 'train/loss' }],
    ...extra,
  });
}

async function exported(spec: FigureSpec, format: ExportFormat, size: object = {}): Promise<Buffer> {
  const file = await exportFigure(ctx(), spec, format, exportSizeSchema.parse(size));
  const bytes = Buffer.from(file.base64, 'base64');
  expect(file.bytes).toBe(bytes.length);
  return bytes;
}

function stored(runId: string): { steps: number[]; values: number[] } {
  const s = store.readSeries(runId, 'train/loss');
  return { steps: [...s.steps], values: [...s.values] };
}

describe('exportFigure of a compare of two runs', () => {
  it('writes an SVG with one path per line, one vertex per stored point, NaN a gap', async () => {
    const svg = parseSvg((await exported(compare(), 'svg')).toString('utf8'));
    const [a] = seriesPaths(svg, OKABE_ITO[0] ?? '');
    const [b] = seriesPaths(svg, OKABE_ITO[1] ?? '');
    expect(seriesPaths(svg, OKABE_ITO[0] ?? '')).toHaveLength(1);
    expect(seriesPaths(svg, OKABE_ITO[1] ?? '')).toHaveLength(1);
    expect(pathCommands(a?.attrs['d'] ?? '')).toEqual({ moves: 1, lines: POINTS - 1 });
    // 10 points before the NaN, 9 after: two runs of the line.
    expect(pathCommands(b?.attrs['d'] ?? '')).toEqual({ moves: 2, lines: 9 + 8 });
    // The size: two journal columns wide (177.8 mm) in CSS pixels.
    expect(Number(svg.attrs['width'])).toBe(Math.round((177.8 / 25.4) * 96));
  });

  it('writes a PNG at the pixel width of the printed width and DPI, the height to scale', async () => {
    const size = { widthMm: 100, heightMm: 60, dpi: 150 };
    const info = readPng(await exported(compare(), 'png', size));
    expect(info.width).toBe(Math.round((100 / 25.4) * 150));
    expect(Math.abs(info.height - Math.round((info.width * 60) / 100))).toBeLessThanOrEqual(1);
    expect(info.inflatedBytes).toBe(info.height * (1 + info.width * info.bytesPerPixel));
  });

  it('writes a one-page PDF of the printed size with vector paths and text in the embedded font', async () => {
    const pdf = readPdf(await exported(compare(), 'pdf', { widthMm: 120, heightMm: 70 }));
    expect(pdf.mediaBoxes).toHaveLength(1);
    const [x0, y0, x1, y1] = pdf.mediaBoxes[0] ?? [];
    expect([x0, y0]).toEqual([0, 0]);
    expect(x1).toBeCloseTo(mmToPt(120), 2);
    expect(y1).toBeCloseTo(mmToPt(70), 2);
    const content = pdf.streams.join('\n');
    expect(content).toMatch(/[\d.-]+ [\d.-]+ m\n/);
    expect(content).toMatch(/[\d.-]+ [\d.-]+ l\n/);
    expect(content).toMatch(/\bBT\b[\s\S]*\bT[jJ]\b/);
    expect(pdf.text).toMatch(/\/FontFile2/);
    expect(pdf.text).not.toMatch(/\/Subtype\s*\/Image/);
  });

  it('sizes the PDF page from the figure rows when no height is given', async () => {
    const { size } = exportedFigure(ctx(), compare(), exportSizeSchema.parse({}));
    const pdf = readPdf(await exported(compare(), 'pdf'));
    const [, , x1, y1] = pdf.mediaBoxes[0] ?? [];
    expect(x1).toBeCloseTo(mmToPt(177.8), 2);
    expect(y1).toBeCloseTo(mmToPt(size.heightMm), 2);
    expect(size.heightMm).toBeGreaterThan(40);
  });

  it('writes CSV rows that parse back to the stored steps and values', async () => {
    const rows = csvRecords((await exported(compare(), 'csv')).toString('utf8'));
    for (const runId of [runA, runB]) {
      const mine = rows.filter((r) => r['run_ids'] === runId && r['role'] === 'line');
      expect(mine.map((r) => Number(r['step']))).toEqual(stored(runId).steps);
      expect(mine.map((r) => Number(r['x']))).toEqual(stored(runId).steps);
      expect(mine.map((r) => Number(r['y']))).toEqual(stored(runId).values);
      expect(new Set(mine.map((r) => r['panel']))).toEqual(new Set(['train/loss']));
    }
  });

  it('writes JSON of the spec, the size and the figure that parses back', async () => {
    const spec = compare();
    const doc = JSON.parse((await exported(spec, 'json', { widthMm: 90 })).toString('utf8')) as {
      spec: unknown;
      size: { widthMm: number; heightMm: number; dpi: number };
      figure: PlotFigure;
    };
    expect(doc.spec).toEqual(spec);
    expect(doc.size.widthMm).toBe(90);
    expect(doc.size.dpi).toBe(300);
    const lineB = doc.figure.panels[0]?.lines.find((l) => l.runIds.includes(runB));
    const y = (lineB?.y ?? []) as unknown[];
    expect(y[10]).toBe('NaN');
    expect(y.map((v) => (typeof v === 'string' ? Number(v) : v))).toEqual(stored(runB).values);
  });

  it('refuses a PNG too large to hold in memory, before rendering it', async () => {
    const size = exportSizeSchema.parse({ widthMm: 600, heightMm: 400, dpi: 2400 });
    await expect(exportFigure(ctx(), compare(), 'png', size)).rejects.toThrow(
      /a PNG of 56693 x 3779\d px \(600\.0 mm at 2400 dpi\) is more than the 120 megapixels/,
    );
    // The same size as vector is fine.
    expect((await exportFigure(ctx(), compare(), 'svg', size)).bytes).toBeGreaterThan(0);
  });

  it('names the file after the metrics and gives its MIME type', async () => {
    const file = await exportFigure(ctx(), compare(), 'pdf', exportSizeSchema.parse({}));
    expect(file.fileName).toBe('compare-train-loss.pdf');
    expect(file.mime).toBe('application/pdf');
  });
});

describe('exportFigure of long series', () => {
  /** The points each line draws in a figure of 1 or 3 columns, two journal columns wide. */
  function drawn(columns: number): number[] {
    const spec = compareSpecSchema.parse({
      kind: 'compare',
      runIds: [runLong],
      panels: ['train/loss', 'train/a', 'train/b'].map((metric) => ({ metric })),
      columns,
    });
    const { figure, widthPx } = exportedFigure(ctx(), spec, exportSizeSchema.parse({}));
    expect(widthPx).toBe(672);
    return figure.panels.map((p) => p.lines[0]?.x.length ?? 0);
  }

  it('reads each panel at about one bucket per pixel column of its printed width', () => {
    // min, max and last per bucket at most; a bucket per pixel at least half full.
    for (const n of drawn(1)) expect(n).toBeGreaterThan(672 / 2);
    for (const n of drawn(1)) expect(n).toBeLessThanOrEqual(3 * 672 + 2);
    for (const n of drawn(3)) expect(n).toBeLessThanOrEqual(3 * 224 + 2);
    for (const n of drawn(3)) expect(n).toBeGreaterThan(224 / 2);
  });

  it('keeps the SVG to the drawn points, not the 50,000 stored', async () => {
    const spec = compare({ runIds: [runLong] });
    const svg = parseSvg((await exported(spec, 'svg')).toString('utf8'));
    const [path] = seriesPaths(svg, OKABE_ITO[0] ?? '');
    const { moves, lines } = pathCommands(path?.attrs['d'] ?? '');
    expect(moves + lines).toBeLessThanOrEqual(3 * 672 + 2);
    const { figure } = exportedFigure(ctx(), spec, exportSizeSchema.parse({}));
    expect(moves + lines).toBe(figure.panels[0]?.lines[0]?.x.length);
    expect(figure.panels[0]?.sampling?.stored).toBe(LONG);
  });
});

describe('exportFigure of a paper figure template', () => {
  const spec = figureSpecSchema.parse({ kind: 'template', template: 'fig3a' });

  it('draws every panel of the template with its title, and its data in the CSV', async () => {
    const { figure } = exportedFigure(ctx(), spec, exportSizeSchema.parse({}));
    const text = (await exported(spec, 'svg')).toString('utf8');
    expect(allElements(parseSvg(text), 'text').length).toBeGreaterThan(figure.panels.length);
    const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const p of figure.panels) expect(text).toContain(`>${xml(p.title)}</text>`);
    const rows = csvRecords((await exported(spec, 'csv')).toString('utf8'));
    for (const p of figure.panels) {
      const points = p.lines.reduce((n, l) => n + l.x.length, 0);
      expect(rows.filter((r) => r['panel'] === p.key)).toHaveLength(points);
    }
    expect((await exportFigure(ctx(), spec, 'svg', exportSizeSchema.parse({}))).fileName).toBe('fig3a.svg');
  });

  it('refuses an unknown template as the service does', async () => {
    const bad = figureSpecSchema.parse({ kind: 'template', template: 'fig99' });
    await expect(exportFigure(ctx(), bad, 'svg', exportSizeSchema.parse({}))).rejects.toThrow(
      /unknown figure template "fig99"/,
    );
    expect(
      userErrorOf(() => exportedFigure(ctx(), compare({ runIds: ['nosuchid'] }), exportSizeSchema.parse({})))
        .code,
    ).toBe('not-found');
  });
});
