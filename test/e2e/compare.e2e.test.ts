/**
 * Comparing runs and exporting figures in Chromium against `normlab serve` (issue 8): select finished
 * runs in the table, compare them, group by normalization, smooth, log y, zoom, and export SVG, PNG,
 * PDF and CSV from the export dialog; the files are checked, not just their existence (the SVG holds
 * one path per line with one vertex per plotted point, the PNG decodes at the DPI's pixel size, the
 * PDF has the printed page size and vector paths, the CSV round-trips to the stored values). Then
 * every paper figure template is drawn from a miniature set of runs. Screenshots of the compare view
 * and of each template go to test-results/. Needs the built app (npm run build) and Debian's Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_WIDTH_MM } from '../../src/shared/plots';
import { FIGURE_TEMPLATES } from '../../src/shared/figureTemplates';
import { OKABE_ITO, mmToPt, pngWidthPx } from '../../src/main/api/figures/export';
import { openStore, type Store } from '../../src/main/store';
import { experimentSchema } from '../../src/shared/config';
import { FIGURE_CSV_COLUMNS } from '../../src/main/api/figures/figureCsv';
import { csvRows } from '../helpers/csvRows';
import { seedFigureRuns } from '../helpers/figureRuns';
import { REPO_ROOT } from '../helpers/repoPaths';
import { tempDirs } from '../helpers/tempDirs';
import { allElements, parseSvg, pathCommands, readPdf, readPng } from '../main/api/figures/figureFiles';
import { RESULTS_DIR, screenshot } from './screenshots';
import { startServe, type ServeProcess } from './serveProcess';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const missing = [
  CHROMIUM,
  join(REPO_ROOT, 'out', 'renderer', 'index.html'),
  join(REPO_ROOT, 'out', 'main'),
].filter((p) => !existsSync(p));
if (missing.length > 0) console.warn(`compare e2e skipped: missing ${missing.join(', ')} (npm run build)`);

const POLL = { timeout: 30_000 };

type CsvRow = Record<(typeof FIGURE_CSV_COLUMNS)[number], string>;

/** The export's CSV as rows keyed by its header. */
function parseCsv(text: string): CsvRow[] {
  const [head, ...rows] = csvRows(text);
  expect(head).toEqual([...FIGURE_CSV_COLUMNS]);
  return rows.map(
    (cells) => Object.fromEntries(FIGURE_CSV_COLUMNS.map((c, i) => [c, cells[i] ?? ''])) as CsvRow,
  );
}

/** A run whose loss grows until it is NaN at step 60 (LR 2 on the DLN), stored as diverged. */
function addDivergedRun(store: Store): string {
  const config = experimentSchema.parse({
    name: 'dln25 lr 2 (diverges)',
    model: { network: 'dln25', normalization: 'none' },
    data: { dataset: 'dln-synthetic' },
    optimizer: { lr: 2 },
    schedule: { steps: 200, batchSize: 1000, trainMetricsEvery: 10, testMetricsEvery: 0 },
  });
  const id = store.createRun(config);
  store.markRunning(id, { backend: 'cpu', device: 'cpu', softwareDevice: false });
  const points = [10, 20, 30, 40, 50, 60].map((step) => ({
    series: 'train/loss',
    step,
    value: step === 60 ? Number.NaN : 2 ** (step / 5),
  }));
  store.appendPoints(id, points, { lastStep: 60 });
  store.finish(id, 'diverged', { divergedAtStep: 60 });
  return id;
}

describe.skipIf(missing.length > 0)('compare and figures against normlab serve', () => {
  const dirs = tempDirs('compare-e2e');
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let db: string;
  let fig4: { plain: string[]; bn: string[] };
  let diverged: string;
  const errors: string[] = [];

  async function rendered(after = 0): Promise<void> {
    await expect
      .poll(
        async () => Number((await page.getByTestId('compare-chart').getAttribute('data-rendered-at')) ?? 0),
        POLL,
      )
      .toBeGreaterThan(after);
  }

  async function renderedAt(): Promise<number> {
    return Number((await page.getByTestId('compare-chart').getAttribute('data-rendered-at')) ?? 0);
  }

  async function download(format: string, extra?: (p: Page) => Promise<void>): Promise<Buffer> {
    await page.getByTestId('export-open').click();
    await page.getByTestId(`export-format-${format}`).click();
    if (extra) await extra(page);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-submit').click(),
    ]);
    // A copy under test-results/ to look at (compare-export.svg, .png, .pdf, .csv: the last of each).
    await file.saveAs(join(RESULTS_DIR, `compare-export.${format}`));
    return readFileSync(await file.path());
  }

  beforeAll(async () => {
    const home = dirs.make();
    db = join(home, 'runs.sqlite');
    const store = openStore(db);
    const seeded = seedFigureRuns(store, { seeds: 2 });
    diverged = addDivergedRun(store);
    store.close();
    fig4 = { plain: seeded.runIds['fig4-cpu/plain'] ?? [], bn: seeded.runIds['fig4-cpu/bn'] ?? [] };
    expect(fig4.plain.length).toBe(2);
    expect(fig4.bn.length).toBe(2);
    serve = await startServe({ home, db });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(serve.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dirs.cleanup();
  });

  it('selects finished runs in the table and compares them', async () => {
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-search').fill('fig4-cpu');
    await expect.poll(() => page.getByTestId('runs-count').textContent(), POLL).toMatch(/^\s*4 runs/);
    for (const id of [...fig4.plain, ...fig4.bn]) {
      await page.locator(`[data-testid="runs-table"] [data-run-id="${id}"]`).getByTestId('row-check').click();
    }
    await page.getByTestId('runs-compare').click();
    await page.getByTestId('compare-view').waitFor();
    await rendered();
    // One line per run in each panel.
    expect(Number(await page.getByTestId('compare-chart').getAttribute('data-lines'))).toBeGreaterThanOrEqual(
      4,
    );
    await expect
      .poll(() => page.getByTestId('compare-diff-table').textContent(), POLL)
      .toMatch(/normalization/);
  });

  it('groups by normalization: one mean line per group, with a band over the seeds', async () => {
    const before = await renderedAt();
    await page.getByTestId('compare-groupby').click();
    await page.getByTestId('compare-groupby-option-model.normalization').click();
    await rendered(before);
    await expect.poll(() => page.getByTestId('compare-view').textContent(), POLL).toMatch(/n=2/);
  });

  it('smooths, switches to log y and zooms (the zoom re-reads the range)', async () => {
    let before = await renderedAt();
    await page.getByTestId('compare-smoothing').fill('0.6');
    await rendered(before);
    before = await renderedAt();
    await page.getByTestId('compare-logy-0').click();
    await rendered(before);
    before = await renderedAt();
    await page.evaluate('window.__normlabCompare.zoom(40, 160)');
    await rendered(before);
    await page.getByTestId('compare-reset-zoom').waitFor();
    await screenshot(page, 'compare-view-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'compare-view-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('exports the view as SVG with one path per line and one vertex per plotted point', async () => {
    const csv = parseCsv((await download('csv')).toString('utf8'));
    const svg = parseSvg((await download('svg')).toString('utf8'));
    const lines = new Map<string, CsvRow[]>();
    for (const row of csv.filter((r) => r.role === 'line')) {
      const key = `${row.panel}\u0000${row.line}`;
      lines.set(key, [...(lines.get(key) ?? []), row]);
    }
    // Two groups (batch, none) in each of the three panels.
    expect(lines.size).toBe(6);
    // Each group line is one path in its print colour (the first two of the palette, by group order),
    // drawn in full (raw lines under the smoothed ones are faint: stroke-opacity), in panel order;
    // its vertices are the plotted points (log y: values <= 0 are not drawn).
    const colours = OKABE_ITO.slice(0, 2).map((c) => c.toLowerCase());
    const groupPaths = allElements(svg, 'path').filter(
      (p) =>
        colours.includes((p.attrs['stroke'] ?? '').toLowerCase()) &&
        p.attrs['stroke-opacity'] === undefined &&
        p.attrs['stroke-dasharray'] === undefined &&
        (p.attrs['fill'] ?? 'none') === 'none',
    );
    expect(groupPaths).toHaveLength(6);
    const expected = [...lines.values()]
      .map((rows) => rows.filter((r) => Number.isFinite(Number(r.y)) && Number(r.y) > 0).length)
      .sort((a, b) => a - b);
    const drawn = groupPaths
      .map((p) => {
        const c = pathCommands(p.attrs['d'] ?? '');
        expect(c.moves).toBe(1);
        return c.moves + c.lines;
      })
      .sort((a, b) => a - b);
    expect(drawn).toEqual(expected);
  });

  it('exports PNG at the DPI and PDF at the printed size, with vector paths', async () => {
    const png = readPng(
      await download('png', async (p) => {
        await p.getByTestId('export-dpi').fill('150');
        await screenshot(p, 'compare-export-dialog');
      }),
    );
    expect(png.width).toBe(pngWidthPx(FIGURE_WIDTH_MM.twoColumn, 150));
    expect(png.inflatedBytes).toBe(png.height * (1 + png.width * png.bytesPerPixel));
    const pdf = readPdf(await download('pdf'));
    expect(pdf.mediaBoxes).toHaveLength(1);
    expect(pdf.mediaBoxes[0]?.[2]).toBeCloseTo(mmToPt(FIGURE_WIDTH_MM.twoColumn), 1);
    const content = pdf.streams.join('\n');
    expect(content).toMatch(/[\d.-]+ [\d.-]+ m\n/);
    expect(content).toMatch(/[\d.-]+ [\d.-]+ l\n/);
    expect(pdf.text).not.toMatch(/\/Subtype\s*\/Image/);
  });

  it("exports CSV that round-trips to a run's stored values", async () => {
    const run = fig4.bn[0] as string;
    await page.goto(`${new URL(serve.url).origin}/#/compare?runs=${run}`);
    await rendered();
    const rows = parseCsv((await download('csv')).toString('utf8')).filter(
      (r) => r.role === 'line' && r.panel_title === 'train/loss',
    );
    const store = openStore(db, { recover: false });
    try {
      const stored = store.readSeries(run, 'train/loss');
      expect(rows.length).toBe(stored.steps.length);
      expect(rows.map((r) => Number(r.step))).toEqual([...stored.steps]);
      expect(rows.map((r) => Number(r.y))).toEqual([...stored.values]);
    } finally {
      store.close();
    }
  });

  it('ends a diverged run in a marker with its step, in the window and in the export', async () => {
    const run = fig4.bn[0] as string;
    await page.goto(`${new URL(serve.url).origin}/#/compare?runs=${run},${diverged}&m=train/loss`);
    await rendered();
    const svg = (await download('svg')).toString('utf8');
    expect(svg).toMatch(/diverged @ step 60/);
    // The marker sits at the last finite point (step 50), not at the NaN.
    const csv = parseCsv((await download('csv')).toString('utf8')).filter((r) => r.run_ids === diverged);
    expect(csv.filter((r) => r.role === 'line').map((r) => r.step)).toEqual([
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
    ]);
    await screenshot(page, 'compare-diverged');
  });

  it('draws every paper figure template from the miniature runs', async () => {
    // A fresh page (from the URL with the token, which the app keeps only in memory): the export
    // toasts of the tests before would sit over the screenshots.
    await page.goto(serve.url);
    await page.getByTestId('connection').waitFor();
    for (const template of FIGURE_TEMPLATES) {
      await page.goto(`${new URL(serve.url).origin}/#/figures/${template.name}`);
      // The view of this template (the hash changed; the last template's chart may still be there).
      await page.locator(`[data-testid="figures-view"][data-template="${template.name}"]`).waitFor();
      await rendered();
      const panels = Number(await page.getByTestId('compare-chart').getAttribute('data-panels'));
      expect(panels).toBe(template.panels.length);
      await screenshot(page, `figure-${template.name}`);
    }
  });

  it('raised no error in the page or its console', () => {
    expect(errors).toEqual([]);
  });
});
