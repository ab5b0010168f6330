/**
 * `reproduce.report` over a whole smoke-scale reproduction (reportService.ts): every figure as SVG, PNG
 * at the DPI and one-page PDF; results.json; and the page: each claim's verdict and numbers, the
 * figures inline, the metadata, the runs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../../../src/main/api/reproduce/report/reportFormat';
import { formatClaimNumber as formatNumber } from '../../../../../src/shared/claimNumbers';
import { escapeHtml } from '../../../../../src/shared/html';
import { FIGURE_WIDTH_MM } from '../../../../../src/shared/plots';
import { pngWidthPx } from '../../../../../src/shared/printUnits';
import { reproResultsSchema, type ReproReport, type ReproResults } from '../../../../../src/shared/reproduce';
import { tempDirs } from '../../../../helpers/tempDirs';
import { claimSection, openWithRuns, readBytes, readText, writeReport, type Opened } from './reportService';

const dirs = tempDirs('repro-report');
afterAll(() => dirs.cleanup());

const DPI = 96;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the report of a whole smoke-scale reproduction', () => {
  let o: Opened;
  let results: ReproResults;
  let report: ReproReport;
  let html: string;
  beforeAll(async () => {
    o = openWithRuns(
      dirs,
      { scale: 'smoke' },
      {
        placeOf: (r) =>
          r.network === 'dln'
            ? { backend: 'cpu', device: 'Test CPU' }
            : { backend: 'wasm', device: 'Test Xeon' },
        wallSecOf: (r) => (r.network === 'dln' ? 30 : 90),
      },
    );
    results = await o.h.call('reproduce.results', { scale: 'smoke' });
    report = await writeReport(o, join('out', 'report'), undefined, DPI);
    html = readText(report.dir, 'index.html');
  });
  afterAll(() => o.h.close());

  it('writes every template of the plan as an SVG, a PNG at the DPI and a one-page PDF', () => {
    expect(results.plan.templates.length).toBeGreaterThan(10);
    for (const t of results.plan.templates) {
      expect(readText(report.dir, `figures/${t}.svg`)).toMatch(/^<svg[\s>][\s\S]*<\/svg>\s*$/);
      const png = readBytes(report.dir, `figures/${t}.png`);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE), t).toBe(true);
      // IHDR is the first chunk: length (4), type (4), then the width as a big-endian uint32.
      expect(png.toString('latin1', 12, 16)).toBe('IHDR');
      expect(png.readUInt32BE(16)).toBe(pngWidthPx(FIGURE_WIDTH_MM.twoColumn, DPI));
      const pdf = readBytes(report.dir, `figures/${t}.pdf`).toString('latin1');
      expect(pdf.startsWith('%PDF-')).toBe(true);
      expect(pdf.match(/\/Type\s*\/Page(?!s)\b/g), t).toHaveLength(1);
    }
  });

  it('returns the folder, the page and every file it wrote, and the claims with their verdicts', () => {
    expect(report.dir).toBe(join(o.base, 'out', 'report'));
    expect(report.index).toBe(join(report.dir, 'index.html'));
    const figureFiles = results.plan.templates.flatMap((t) =>
      ['png', 'pdf', 'svg'].map((f) => `figures/${t}.${f}`),
    );
    expect([...report.files].sort()).toEqual([...figureFiles, 'results.json', 'index.html'].sort());
    expect(readdirSync(join(report.dir, 'figures')).sort()).toEqual(
      figureFiles.map((f) => f.slice(8)).sort(),
    );
    expect(report.claims).toEqual(results.claims.map((c) => ({ claim: c.claim, verdict: c.verdict })));
    expect(report.complete).toBe(true);
  });

  it('writes results.json: the results as the API gives them, the metadata and every run', () => {
    const json = JSON.parse(readText(report.dir, 'results.json')) as Record<string, unknown>;
    expect(reproResultsSchema.parse(json)).toEqual(results);
    const claims = json['claims'] as ReproResults['claims'];
    expect(claims.map((c) => c.claim)).toEqual(results.plan.claims);
    for (const c of claims) {
      expect(c.verdict).toMatch(/^(supported|not supported|inconclusive)$/);
      expect(c.numbers.length).toBeGreaterThan(0);
    }
    const runs = json['runs'] as { id: string; key: string; backend: string; wallSec: number }[];
    expect(runs.map((r) => r.id)).toEqual(results.plan.runs.map((r) => r.runId));
    const network = new Map(o.runs.planned.map((r) => [r.key, r.network]));
    for (const r of runs) {
      expect(r.wallSec).toBe(network.get(r.key) === 'dln' ? 30 : 90);
      expect(r.backend).toBe(network.get(r.key) === 'dln' ? 'cpu' : 'wasm');
    }
    const meta = json['metadata'] as Record<string, unknown>;
    expect(meta).toMatchObject({
      scale: 'smoke',
      reading: { name: 'spec', appliedTo: [] },
      only: 'all',
      backends: ['cpu', 'wasm'],
      devices: ['Test CPU', 'Test Xeon'],
      complete: true,
      missingRuns: [],
      node: process.versions.node,
      dbPath: join(o.base, 'runs.sqlite'),
      dpi: DPI,
    });
    const dln = o.runs.planned.filter((r) => r.network === 'dln').length;
    expect(meta['trainingWallSec']).toBe(30 * dln + 90 * (o.runs.planned.length - dln));
    expect(meta['seeds']).toHaveLength(o.runs.planned.length);
    expect(Date.parse(meta['generatedAt'] as string)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('gives each claim a section with the statement, the verdict and every number, three digits', () => {
    expect(html.match(/<section class="claim" /g)).toHaveLength(results.claims.length);
    for (const c of results.claims) {
      const section = claimSection(html, c.claim);
      expect(section).toContain(`verdict-${c.verdict.replace(' ', '-')}`);
      for (const n of c.numbers) {
        expect(section).toContain(escapeHtml(n.name));
        expect(section).toContain(`<td class="num">${formatNumber(n.value)}</td>`);
        expect(section).toContain(`${n.compare === '<=' ? '≤' : '≥'} ${formatNumber(n.threshold)}`);
      }
      // The summary table links each claim and repeats its verdict.
      expect(html).toContain(`<a href="#claim-${c.claim}">`);
    }
  });

  it('inlines every figure once, with ids of its own, and links its PNG, PDF and SVG', () => {
    const inline = [...html.matchAll(/<svg role="img"/g)];
    expect(inline).toHaveLength(results.plan.templates.length);
    expect(html).not.toContain('<?xml');
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of results.plan.templates) {
      expect(html).toContain(`<a href="figures/${t}.png">PNG</a> · <a href="figures/${t}.pdf">PDF</a>`);
    }
  });

  it('puts the figures no claim reads under "Other figures"', () => {
    const claimed = new Set(results.claims.flatMap((c) => c.figures));
    const others = results.plan.templates.filter((t) => !claimed.has(t));
    expect(others).toEqual(expect.arrayContaining(['fig9', 'fig11']));
    const section = html.slice(
      html.indexOf('<section id="other-figures">'),
      html.indexOf('<section id="runs">'),
    );
    for (const t of others) expect(section).toContain(`id="figure-${t}"`);
    expect(section.match(/<figure /g)).toHaveLength(others.length);
  });

  it('heads the page with the metadata, lists every run and the departures, and warns of nothing', () => {
    const head = html.slice(0, html.indexOf('</header>'));
    for (const v of ['smoke', 'spec', 'cpu, wasm', 'Test CPU, Test Xeon', process.versions.node]) {
      expect(head).toContain(v);
    }
    expect(head).toContain(join(o.base, 'runs.sqlite'));
    const meta = JSON.parse(readText(report.dir, 'results.json')).metadata as {
      trainingWallSec: number;
      commit?: string;
    };
    expect(head).toContain(formatSeconds(meta.trainingWallSec));
    if (existsSync(join(__dirname, '../../../../../.git'))) {
      expect(meta.commit).toMatch(/^[0-9a-f]{4,}$/);
      expect(head).toContain(`commit <code>${meta.commit}</code>`);
    }
    expect(html).not.toContain('role="alert"');
    const runsTable = html.slice(
      html.indexOf('<section id="runs">'),
      html.indexOf('<section id="departures">'),
    );
    for (const id of o.runs.ids.values()) expect(runsTable).toContain(id);
    for (const d of results.plan.departures) expect(html).toContain(d);
  });
});
