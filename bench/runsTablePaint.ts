/**
 * The runs table's first paint with 10,000 stored runs (issue 7's benchmark; target < 500 ms).
 *
 *   npx tsx bench/runsTablePaint.ts [--runs 10000] [--loads 7] [--json]
 *
 * Fills a temporary database with RUNS finished runs through the store (one transaction: config,
 * backend, a few metric points each, tags and notes on some), serves it with `normlab serve` (the
 * built app: run `npm run build` first), and opens #/runs in Debian's Chromium (playwright-core)
 * LOADS times, each in a fresh browser context, taking the time from navigation start to the
 * page's `normlab:runs-table-rows` performance mark (set by RunsTable.vue in the frame its first
 * rows are drawn). Prints p50, min and max over the loads after the first (a warm-up), and for
 * reference how long runs.list takes to answer one page (200 rows, what the table reads first) and
 * the whole table (10,000 rows) over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { experimentSchema, type NormalizationName } from '../src/shared/config';
import { findPreset } from '../src/shared/presets';
import { openStore } from '../src/main/store/index';
import { startServe } from '../test/e2e/serveProcess';

interface Options {
  runs: number;
  loads: number;
  json: boolean;
  chromium: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 10_000,
    loads: 7,
    json: false,
    chromium: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--loads') o.loads = Number(argv[++i]);
    else if (a === '--json') o.json = true;
    else if (a === '--chromium') o.chromium = String(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.runs > 0) || !(o.loads >= 2)) throw new Error('--runs must be positive and --loads at least 2');
  return o;
}

/** RUNS finished runs in one transaction; returns the milliseconds it took. */
function fill(db: string, runs: number): number {
  const t0 = performance.now();
  const base = findPreset('vgg-tiny-bn')?.config;
  if (!base) throw new Error('preset vgg-tiny-bn is missing');
  const norms: NormalizationName[] = ['batch', 'none', 'noisy-batch', 'l1', 'l2', 'linf'];
  const lrs = [0.1, 0.05, 0.01, 0.5];
  const store = openStore(db, { recover: false });
  try {
    store.batch(() => {
      for (let i = 0; i < runs; i++) {
        const config = experimentSchema.parse({
          ...base,
          seed: i % 5,
          model: { ...base.model, normalization: norms[i % norms.length] },
          optimizer: { ...base.optimizer, lr: lrs[i % lrs.length] },
        });
        const id = store.createRun(config, {
          name: `bench ${i}`,
          ...(i % 7 === 0 ? { tags: ['bench', i % 2 ? 'bn' : 'plain'] } : {}),
          ...(i % 11 === 0
            ? { notes: 'a note long enough to be truncated in its cell of the runs table' }
            : {}),
        });
        store.markRunning(id, { backend: 'wasm', device: 'bench (2 threads)', softwareDevice: false });
        const steps = config.schedule.steps;
        store.appendPoints(
          id,
          [
            { series: 'train/loss', step: steps, value: 2.3 / (1 + (i % 13)) },
            { series: 'train/accuracy', step: steps, value: 0.1 + (i % 9) / 10 },
            { series: 'test/accuracy', step: steps, value: 0.1 + (i % 8) / 10 },
          ],
          { lastStep: steps },
        );
        store.finish(
          id,
          i % 50 === 0 ? 'diverged' : 'completed',
          i % 50 === 0 ? { divergedAtStep: steps } : {},
        );
      }
    });
  } finally {
    store.close();
  }
  return performance.now() - t0;
}

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'normlab-table-paint-'));
  const db = join(dir, 'bench.sqlite');
  const fillMs = fill(db, o.runs);
  const serve = await startServe({ home: dir, db });
  const browser = await chromium.launch({ executablePath: o.chromium });
  try {
    const paints: number[] = [];
    for (let load = 0; load < o.loads; load++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const url = new URL(serve.url);
      url.hash = '#/runs';
      const log: string[] = [];
      page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      await page.goto(url.toString());
      // A function, not a string: the page's CSP forbids eval.
      await page
        .waitForFunction(() => performance.getEntriesByName('normlab:runs-table-rows').length > 0, null, {
          timeout: 30_000,
        })
        .catch(async (e: unknown) => {
          const shot = join(tmpdir(), 'normlab-table-paint-timeout.png');
          await page.screenshot({ path: shot });
          throw new Error(
            `${e instanceof Error ? e.message : String(e)} (screenshot ${shot})\n${log.join('\n')}`,
          );
        });
      const ms = Number(
        await page.evaluate("performance.getEntriesByName('normlab:runs-table-rows')[0].startTime"),
      );
      const rows = await page.locator('[data-testid="runs-table"] [data-run-id]').count();
      if (rows === 0) throw new Error('the mark was set but no row is drawn');
      paints.push(ms);
      await context.close();
    }
    const timed = async (limit: number): Promise<number> => {
      const t0 = performance.now();
      const r = await serve.call<{ rows: unknown[] }>('runs.list', { limit });
      if (r.rows.length !== Math.min(limit, o.runs)) throw new Error(`runs.list gave ${r.rows.length} rows`);
      return performance.now() - t0;
    };
    await timed(200);
    const page200 = [await timed(200), await timed(200), await timed(200)].sort((a, b) => a - b)[1] ?? NaN;
    const all =
      [await timed(10_000), await timed(10_000), await timed(10_000)].sort((a, b) => a - b)[1] ?? NaN;
    const warm = paints.slice(1).sort((a, b) => a - b);
    const result = {
      runs: o.runs,
      loads: warm.length,
      firstPaintMs: {
        p50: Math.round(quantile(warm, 0.5)),
        min: Math.round(warm[0] ?? NaN),
        max: Math.round(warm.at(-1) ?? NaN),
        coldFirstLoad: Math.round(paints[0] ?? NaN),
      },
      targetMs: 500,
      runsListMs: { page200: Math.round(page200), all10000: Math.round(all) },
      fillMs: Math.round(fillMs),
    };
    if (o.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `runs table first paint with ${o.runs.toLocaleString('en-US')} runs: p50 ${result.firstPaintMs.p50} ms ` +
          `(min ${result.firstPaintMs.min}, max ${result.firstPaintMs.max} over ${warm.length} loads; ` +
          `first, cold load ${result.firstPaintMs.coldFirstLoad} ms); target < 500 ms: ` +
          `${result.firstPaintMs.p50 < 500 ? 'met' : 'MISSED'}`,
      );
      console.log(
        `runs.list over HTTP: one page of 200 rows ${result.runsListMs.page200} ms, all ${Math.min(o.runs, 10_000).toLocaleString('en-US')} rows ${result.runsListMs.all10000} ms ` +
          `(the table reads pages of 200 as it scrolls)`,
      );
      console.log(`filling the database: ${result.fillMs} ms`);
    }
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
