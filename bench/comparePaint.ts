/**
 * The compare view with 10 runs of 1,000,000 points each (issue 8's benchmark; target < 300 ms from
 * the store to the drawn chart).
 *
 *   npx tsx bench/comparePaint.ts [--runs 10] [--points 1000000] [--loads 5] [--json]
 *
 * Fills a temporary database with RUNS finished runs, each with a `train/loss` series of POINTS
 * points (src/main/store/lodBench.ts: direct inserts, then the level-of-detail blocks built as
 * migration 5 builds them), serves it with `normlab serve` (the built app: run `npm run build`
 * first) and opens #/compare?runs=... in Debian's Chromium LOADS times, each in a fresh context.
 * Per load it takes the time between the page's `normlab:compare-build` performance mark (set when
 * the compare view asks for the figure) and `normlab:compare-drawn` (set when ECharts has finished
 * drawing the answer): the store's read, the trip over the WebSocket and the drawing; and, of that,
 * until `normlab:compare-built` (the answer arrived). It
 * also times a zoom (the re-read of a tenth of the steps at the new resolution) the same way, and,
 * for reference, figures.build alone over HTTP. Prints p50, min and max over the loads after the
 * first (a warm-up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildLod, fillBenchDatabase } from '../src/main/store/lodBench';
import { startServe } from '../test/e2e/serveProcess';

interface Options {
  runs: number;
  points: number;
  loads: number;
  json: boolean;
  chromium: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 10,
    points: 1_000_000,
    loads: 5,
    json: false,
    chromium: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--points') o.points = Number(argv[++i]);
    else if (a === '--loads') o.loads = Number(argv[++i]);
    else if (a === '--json') o.json = true;
    else if (a === '--chromium') o.chromium = String(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.runs > 0 && o.points >= 100 && o.loads >= 2)) {
    throw new Error('--runs must be positive, --points at least 100 and --loads at least 2');
  }
  return o;
}

interface Draw {
  /** From asking for the figure to ECharts having drawn it. */
  total: number;
  /** From asking to the answer's arrival (the store's read, the API and the WebSocket). */
  answer: number;
}

/**
 * The last figure asked for after `after` (performance.now()): the page's `normlab:compare-build`,
 * `-built` (the answer arrived) and `-drawn` (ECharts finished) marks.
 */
async function lastDraw(page: Page, after: number): Promise<Draw> {
  const handle = await page.waitForFunction(
    (since: number) => {
      const builds = performance.getEntriesByName('normlab:compare-build').filter((e) => e.startTime > since);
      const build = builds.at(-1);
      if (!build) return null;
      // No named helper here: tsx would wrap it in a __name() call the page does not have.
      const built = performance
        .getEntriesByName('normlab:compare-built')
        .find((e) => e.startTime >= build.startTime);
      const drawn = performance
        .getEntriesByName('normlab:compare-drawn')
        .find((e) => e.startTime >= build.startTime);
      return built && drawn
        ? { total: drawn.startTime - build.startTime, answer: built.startTime - build.startTime }
        : null;
    },
    after,
    { timeout: 120_000, polling: 20 },
  );
  return (await handle.jsonValue()) as Draw;
}

function stats(xs: number[]): { p50: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: s[Math.floor((s.length - 1) / 2)] ?? NaN, min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'normlab-compare-bench-'));
  const db = join(dir, 'compare.sqlite');
  const t0 = performance.now();
  const runIds = fillBenchDatabase(db, o.runs, ['train/loss'], o.points);
  buildLod(db);
  const fillMs = performance.now() - t0;
  const serve = await startServe({ home: join(dir, 'home'), db });
  const browser = await chromium.launch({ executablePath: o.chromium });
  try {
    const spec = { kind: 'compare', runIds, panels: [{ metric: 'train/loss' }] };
    const apiMs: number[] = [];
    for (let i = 0; i < o.loads; i++) {
      const t = performance.now();
      await serve.call('figures.build', { spec, width: 1200 });
      apiMs.push(performance.now() - t);
    }
    const loads: Draw[] = [];
    const zooms: Draw[] = [];
    const base = new URL(serve.url);
    for (let i = 0; i < o.loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base.origin}/?token=${serve.token}#/compare?runs=${runIds.join(',')}&m=train/loss`);
      loads.push(await lastDraw(page, 0));
      const now = Number(await page.evaluate('performance.now()'));
      // The programmatic zoom CompareView exposes for tests: a tenth of the steps, read again.
      await page.evaluate(`window.__normlabCompare.zoom(${o.points * 0.45}, ${o.points * 0.55})`);
      zooms.push(await lastDraw(page, now));
      await context.close();
    }
    const result = {
      runs: o.runs,
      points: o.points,
      fillMs,
      apiMs: stats(apiMs.slice(1)),
      loadMs: stats(loads.slice(1).map((d) => d.total)),
      loadAnswerMs: stats(loads.slice(1).map((d) => d.answer)),
      zoomMs: stats(zooms.slice(1).map((d) => d.total)),
      targetMs: 300,
    };
    if (o.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const f = (s: { p50: number; min: number; max: number }): string =>
        `p50 ${s.p50.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;
      process.stdout.write(
        `Compare view: ${o.runs} runs x ${o.points} points (filled in ${(fillMs / 1000).toFixed(1)} s)\n` +
          `  store to drawn chart   ${f(result.loadMs)}  target < 300 ms: ${result.loadMs.p50 < 300 ? 'PASS' : 'FAIL'}\n` +
          `    of which the answer  ${f(result.loadAnswerMs)} (store read, API, WebSocket; the rest is drawing)\n` +
          `  zoom re-read to drawn  ${f(result.zoomMs)}\n` +
          `  figures.build alone    ${f(result.apiMs)} (HTTP)\n`,
      );
    }
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
