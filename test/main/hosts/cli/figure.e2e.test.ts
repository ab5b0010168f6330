/**
 * `normlab figure`, `normlab figures` and `normlab compare` end to end on a miniature set of runs
 * (the figure fixture, test/helpers/figureRuns.ts): every template exported, each format read back
 * with independent readers, and the mistakes a user can make. The commands run in this process
 * (cliInProcess.ts: the CLI's main with real arguments, files and database); a few run as the built
 * `normlab` command too, as a user runs it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../../src/main/store';
import { FIGURE_TEMPLATES } from '../../../../src/shared/figureTemplates';
import { OKABE_ITO } from '../../../../src/shared/plotLook';
import type { PlotFigure, TemplateInfo } from '../../../../src/shared/plots';
import { mmToPt } from '../../../../src/shared/printUnits';
import { hasStackTrace, runCli, type CliResult } from '../../../helpers/cli';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import { runCliInProcess } from '../../../helpers/cliInProcess';
import { csvRows } from '../../../helpers/csvRows';
import { seedFigureRuns } from '../../../helpers/figureRuns';
import { tempDirs } from '../../../helpers/tempDirs';
import { allElements, parseSvg, readPdf, readPng, seriesPaths } from '../../api/figures/figureFiles';

const dirs = tempDirs('cli-figure');
let home = '';
let db = '';
let out = '';
let runIds: Record<string, string[]> = {};

beforeAll(() => {
  const dir = dirs.make();
  home = join(dir, 'home');
  db = join(dir, 'runs.sqlite');
  out = join(dir, 'out');
  const store = openStore(db);
  ({ runIds } = seedFigureRuns(store));
  store.close();
  openStore(join(dir, 'empty.sqlite')).close();
  // A folder of its own for the files, so a test can check that nothing else was left there.
  mkdirSync(out);
});
afterAll(() => dirs.cleanup());

const ids = (name: string): string[] => runIds[name] ?? [];
const file = (name: string): string => join(out, name);

function normlab(...args: string[]): Promise<CliResult> {
  return runCliInProcess([...args, '--db', db], home);
}

/** A command that must succeed; returns what it printed. */
async function ok(...args: string[]): Promise<string> {
  const r = await normlab(...args);
  if (r.code !== 0) throw new Error(`normlab ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

/** A command that must fail as a user error: exit 2, one line on stderr, no stack trace. */
async function refused(...args: string[]): Promise<string> {
  const r = await normlab(...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(hasStackTrace(r.stderr)).toBe(false);
  return r.stderr.trim();
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function readJson(path: string): { spec: Record<string, unknown>; figure: PlotFigure } {
  return JSON.parse(readFileSync(path, 'utf8')) as { spec: Record<string, unknown>; figure: PlotFigure };
}

describe('normlab figure, every template', () => {
  it.each(FIGURE_TEMPLATES.map((t) => t.name))('exports %s as an SVG of its panels', async (name) => {
    const path = file(`${name}.svg`);
    const printed = await ok('figure', name, '--out', path);
    expect(printed).toMatch(
      new RegExp(`^wrote ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(SVG, [\\d.]+ KiB\\)\\n$`),
    );
    const text = readFileSync(path, 'utf8');
    const svg = parseSvg(text);
    const template = FIGURE_TEMPLATES.find((t) => t.name === name);
    for (const p of template?.panels ?? []) expect(text).toContain(`>${xml(p.title)}</text>`);
    // The caption names the fixture's runs of every slot.
    for (const label of template?.slots ?? []) {
      for (const id of ids(`fig${template?.figure}-cpu/${label}`)) expect(text).toContain(id);
    }
    // Data is drawn: lines in the palette's colours or filled ridges, not just axes.
    const dataPaths = OKABE_ITO.flatMap((c) => seriesPaths(svg, c));
    const filled = allElements(svg, 'path').filter((p) => p.attrs['fill'] && p.attrs['fill'] !== 'none');
    expect(dataPaths.length + filled.length).toBeGreaterThan(template?.panels.length ?? 0);
  });
});

describe('normlab figure, formats and options', () => {
  it('writes a PDF of the asked printed size', async () => {
    const path = file('fig4.pdf');
    await ok('figure', 'fig4', '--width-mm', '120', '--height-mm', '80', '--out', path);
    const pdf = readPdf(readFileSync(path));
    const [, , w, h] = pdf.mediaBoxes[0] ?? [];
    expect(w).toBeCloseTo(mmToPt(120), 2);
    expect(h).toBeCloseTo(mmToPt(80), 2);
    expect(pdf.streams.join('\n')).toMatch(/[\d.-]+ [\d.-]+ l\n/);
  });

  it('writes a PNG at the DPI and says its pixel size', async () => {
    const path = file('fig3a.png');
    const printed = await ok('figure', 'fig3a', '--dpi', '150', '--width-mm', '84', '--out', path);
    const png = readPng(readFileSync(path));
    expect(png.width).toBe(Math.round((84 / 25.4) * 150));
    expect(printed).toContain(`${png.width} x ${png.height} px at 150 dpi`);
  });

  it('writes the plotted data as CSV and JSON (--format over the extension)', async () => {
    await ok('figure', 'fig5', '--format', 'csv', '--out', file('fig5.data'));
    await ok('figure', 'fig5', '--out', file('fig5.json'));
    const [header, ...rows] = csvRows(readFileSync(file('fig5.data'), 'utf8'));
    expect(header?.join(',')).toBe(
      'panel,panel_title,line,label,role,run_ids,step,x,y,band_lo,band_hi,bin_lo,bin_hi,count',
    );
    // One row per plotted point of the same figure, its y written as the JSON has it.
    const lines = readJson(file('fig5.json')).figure.panels.flatMap((p) => p.lines);
    const ys = lines.flatMap((l) => l.y.map((y) => (typeof y === 'string' ? Number(y) : y)));
    expect(rows.map((r) => Number(r[8]))).toEqual(ys);
  });

  it('passes --smoothing and --no-paper to the figure', async () => {
    await ok('figure', 'fig5', '--out', file('smooth.json'), '--smoothing', '0.5', '--no-paper');
    const doc = readJson(file('smooth.json'));
    expect(doc.spec).toMatchObject({ kind: 'template', template: 'fig5', smoothing: 0.5, paper: false });
    const roles = new Set(doc.figure.panels.flatMap((p) => p.lines.map((l) => l.role)));
    expect(roles.has('paper')).toBe(false);
    expect(roles.has('raw')).toBe(true);
  });

  it('fills the slots in order with --runs, or by label with --slot', async () => {
    const [plain] = ids('fig4-cpu/plain');
    const [bn] = ids('fig4-cpu/bn');
    await ok('figure', 'fig4', '--runs', `${bn},${plain}`, '--out', file('swapped.json'));
    expect(readJson(file('swapped.json')).spec['slots']).toEqual({ plain: [bn], bn: [plain] });
    await ok('figure', 'fig4', '--slot', `bn=${bn}`, '--out', file('slot.json'));
    expect(readJson(file('slot.json')).spec['slots']).toEqual({ bn: [bn] });
  });

  it('takes a figure preset name (fig4-cpu) for its template, filled with that preset’s runs', async () => {
    await ok('figure', 'fig4-cpu', '--out', file('cpu.json'));
    const doc = readJson(file('cpu.json'));
    expect(doc.spec).toMatchObject({
      template: 'fig4',
      slots: { plain: ids('fig4-cpu/plain'), bn: ids('fig4-cpu/bn') },
    });
  });

  it('lists the templates with their slots and default runs', async () => {
    const table = await ok('figures');
    for (const t of FIGURE_TEMPLATES) expect(table).toContain(t.name);
    expect(table).toContain(`bn: ${ids('fig4-cpu/bn').join(',')}`);
    const listed = JSON.parse(await ok('figure', '--list', '--json')) as TemplateInfo[];
    expect(listed.map((t) => t.name)).toEqual(FIGURE_TEMPLATES.map((t) => t.name));
  });
});

describe('normlab compare', () => {
  it('exports two runs side by side, one panel per metric', async () => {
    const [a] = ids('fig4-cpu/plain');
    const [b] = ids('fig4-cpu/bn');
    const path = file('compare.svg');
    const printed = await ok(
      'compare',
      `${a}`,
      `${b}`,
      '--metric',
      'train/loss',
      '--metric',
      'train/accuracy',
      '--log-y',
      '--out',
      path,
    );
    expect(printed).toContain(`wrote ${path}`);
    const svg = parseSvg(readFileSync(path, 'utf8'));
    // Two runs, two panels: each run's colour strokes one line in each panel.
    expect(seriesPaths(svg, OKABE_ITO[0] ?? '')).toHaveLength(2);
    expect(seriesPaths(svg, OKABE_ITO[1] ?? '')).toHaveLength(2);
    await ok(
      'compare',
      `${a},${b}`,
      '--metric',
      'train/loss',
      '--group-by',
      'model.normalization',
      '--band',
      'std',
      '--out',
      file('compare.json'),
    );
    const doc = readJson(file('compare.json'));
    expect(doc.spec).toMatchObject({
      kind: 'compare',
      runIds: [a, b],
      groupBy: ['model.normalization'],
      band: 'std',
    });
    expect(doc.figure.panels[0]?.lines.filter((l) => l.role === 'line')).toHaveLength(2);
  });
});

describe('mistakes, each one line and exit 2', () => {
  it('says what is wrong with the figure, the runs, the format, the size or --out', async () => {
    const [a] = ids('fig4-cpu/plain');
    expect(await refused('figure', 'fig99', '--out', file('x.svg'))).toMatch(
      /no figure template "fig99"; choose one of fig1, /,
    );
    expect(await refused('figure', 'fig4', '--runs', 'nosuchrun', '--out', file('x.svg'))).toMatch(
      /no run "nosuchrun" in .*normlab list/,
    );
    expect(await refused('figure', 'fig4', '--runs', 'a,b,c', '--out', file('x.svg'))).toMatch(
      /fig4 has 2 slots \(plain, bn\); --runs gave 3/,
    );
    expect(await refused('figure', 'fig4', '--slot', 'xx=a', '--out', file('x.svg'))).toMatch(
      /fig4 has no slot "xx"; its slots are plain, bn/,
    );
    expect(await refused('figure', 'fig4', '--format', 'gif', '--out', file('x.gif'))).toMatch(
      /--format takes svg, pdf, png, csv, json, not "gif"/,
    );
    expect(await refused('figure', 'fig4', '--out', file('x.gif'))).toMatch(
      /cannot tell the format from --out/,
    );
    expect(await refused('figure', 'fig4')).toMatch(/give --out FILE/);
    expect(await refused('figure', 'fig4', '--out', join(out, 'missing', 'x.svg'))).toMatch(
      /cannot write .*: its folder does not exist/,
    );
    expect(await refused('figure', 'fig4', '--dpi', '10', '--out', file('x.png'))).toMatch(
      /--dpi takes a whole number from 36 to 2400, not "10"/,
    );
    expect(await refused('figure', 'fig4', '--width-mm', 'wide', '--out', file('x.png'))).toMatch(
      /--width-mm takes a number from 20 to 600/,
    );
    expect(await refused('figure', 'fig4', '--smoothing', '1', '--out', file('x.png'))).toMatch(
      /--smoothing takes a number from 0 to 0.999/,
    );
    expect(await refused('compare', `${a}`, '--metric', 'nope/loss', '--out', file('x.svg'))).toMatch(
      /none of the runs has the series "nope\/loss"/,
    );
    expect(await refused('compare', `${a}`, '--out', file('x.svg'))).toMatch(/give --metric NAME/);
    expect(await refused('compare', 'nosuchrun', '--metric', 'train/loss', '--out', file('x.svg'))).toMatch(
      /no run "nosuchrun"/,
    );
    // Nothing half-written was left behind.
    expect(readdirSync(out).filter((f) => f.startsWith('x.') || f.includes('.tmp'))).toEqual([]);
  });

  it('says which preset trains the runs of a figure that has none', async () => {
    const r = await runCliInProcess(
      ['figure', 'fig4', '--out', file('none.svg'), '--db', join(out, '..', 'empty.sqlite')],
      home,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^normlab: no runs for fig4 in .*empty\.sqlite: train them with `normlab run --preset fig4-cpu`/,
    );
    expect(existsSync(file('none.svg'))).toBe(false);
  });
});

describe('the built normlab command', () => {
  beforeAll(async () => {
    await ensureCliBuilt();
  });

  it('exports a figure and a compare, and refuses a bad one with exit 2', async () => {
    const pdf = file('built-fig3a.pdf');
    const r = await runCli(['figure', 'fig3a', '--out', pdf, '--db', db], home);
    expect(r.code, r.stderr).toBe(0);
    expect(readPdf(readFileSync(pdf)).mediaBoxes).toHaveLength(1);
    const png = file('built-compare.png');
    const [a] = ids('fig3a-cpu/bn-lr0.1');
    const [b] = ids('fig3a-cpu/plain-lr0.1');
    const c = await runCli(
      ['compare', `${a}`, `${b}`, '--metric', 'train/loss', '--dpi', '100', '--out', png, '--db', db],
      home,
    );
    expect(c.code, c.stderr).toBe(0);
    expect(readPng(readFileSync(png)).width).toBe(Math.round((177.8 / 25.4) * 100));
    expect(statSync(png).size).toBeGreaterThan(1000);
    const bad = await runCli(['figure', 'fig99', '--out', file('built.svg'), '--db', db], home);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no figure template "fig99"/);
  });
});
