/**
 * The store's part of `npm run bench` (issue 8): a compare view's read of 10 series x 1,000,000
 * points at 1000 pixels, by raw scan, from the level-of-detail blocks in equal-width buckets (lod.ts,
 * what live charts read) and in block-aligned buckets (blockBuckets.ts, what compare views and
 * figures read), and what keeping the blocks costs an append (points/s with and without them). Not a test: nothing is asserted.
 *
 *   node --import tsx src/main/store/lodBench.ts [--series 10] [--points 1000000] [--width 1000] [--json]
 *
 * Run as a script (the bench host starts it by path); it fills a throwaway database in one
 * transaction of prepared multi-row inserts and builds the blocks as migration 5 does.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { experimentSchema } from '../../shared/config';
import { openDatabase } from './db';
import { openStore } from './index';
import { LodWriter } from './lod';
import { RunsRepo } from './runs';
import { SeriesRepo, type StoredPoint } from './series';
import { SeriesSummaryRepo } from './seriesSummary';

export interface StoreBenchResult {
  series: number;
  points: number;
  width: number;
  fillMs: number;
  lodBuildMs: number;
  rawReadMs: number;
  lodReadMs: number;
  /** Block-aligned buckets (blockBuckets.ts): what compare views and figures read. */
  blockReadMs: number;
  appendPointsPerSecWithLod: number;
  appendPointsPerSecWithoutLod: number;
}

const CONFIG = {
  name: 'bench',
  seed: 1,
  model: { network: 'dln25' },
  data: { dataset: 'dln-synthetic' },
  optimizer: { lr: 0.01 },
  schedule: { steps: 100 },
};

function value(i: number, s: number): number {
  return Math.sin(i / 5000 + s) + ((i * 2654435761) % 1000) / 5000;
}

/**
 * A throwaway database of `runs` runs, each with the series `names` of `points` points (steps 0 ..
 * points - 1), written with prepared multi-row inserts in one transaction; the level-of-detail blocks
 * are not built (see buildLod). Returns the run ids in creation order.
 */
export function fillBenchDatabase(
  path: string,
  runs: number,
  names: readonly string[],
  points: number,
): string[] {
  const store = openStore(path);
  const runIds: string[] = [];
  for (let r = 0; r < runs; r++) {
    const run = store.createRun(experimentSchema.parse({ ...CONFIG, name: `bench ${r}`, seed: r }));
    store.appendPoints(
      run,
      names.map((series) => ({ series, step: 0, value: 0 })),
    );
    store.finish(run, 'completed');
    runIds.push(run);
  }
  store.close();
  const db = new Database(path);
  const chunk = 100;
  const insert = db.prepare(
    'INSERT OR REPLACE INTO points (series_id, step, value, nf, time) VALUES ' +
      Array(chunk).fill('(?, ?, ?, 0, ?)').join(', '),
  );
  const series = db
    .prepare<[], { id: number; name: string; run_id: string }>('SELECT id, name, run_id FROM series')
    .all()
    .sort((a, b) => runIds.indexOf(a.run_id) - runIds.indexOf(b.run_id) || a.name.localeCompare(b.name));
  db.transaction(() => {
    const args = new Array<number>(chunk * 4);
    series.forEach(({ id: sid }, s) => {
      for (let i = 0; i < points; i += chunk) {
        for (let j = 0; j < chunk; j++) {
          args[j * 4] = sid;
          args[j * 4 + 1] = i + j;
          args[j * 4 + 2] = value(i + j, s);
          // One step per 10 ms of wall time, so a wall-time axis has something to show.
          args[j * 4 + 3] = (i + j) * 10;
        }
        insert.run(args);
      }
    });
  })();
  db.close();
  return runIds;
}

/**
 * Builds the level-of-detail blocks (as migration 5 does) and brings the series summaries up to date
 * after fillBenchDatabase's direct inserts.
 */
export function buildLod(path: string): void {
  const db = new Database(path);
  db.transaction(() => {
    new LodWriter(db).rebuildAll();
    const summaries = new SeriesSummaryRepo(db);
    const runIds = db.prepare<[], string>('SELECT id FROM runs').pluck().all();
    for (const id of runIds) summaries.recomputeRun(id);
    db.prepare(
      'UPDATE runs SET last_step = (SELECT max(last_step) FROM series WHERE series.run_id = runs.id)',
    ).run();
  })();
  db.close();
}

function appendRate(dir: string, lod: boolean, points: number): number {
  const db = openDatabase(join(dir, `append-${lod}.sqlite`));
  try {
    const runs = new RunsRepo(db, 'cli');
    const repo = new SeriesRepo(db, runs, { lod });
    const run = runs.create(experimentSchema.parse(CONFIG));
    const names = ['train/loss', 'train/acc', 'test/loss', 'test/acc'];
    const batch = 1000;
    const t0 = performance.now();
    for (let i = 0; i < points; i += batch) {
      const pts: StoredPoint[] = [];
      for (let j = 0; j < batch; j++) {
        const k = i + j;
        pts.push({ series: names[k % 4] as string, step: Math.floor(k / 4), value: value(k, 0) });
      }
      repo.appendPoints(run, pts);
    }
    return Math.round(points / ((performance.now() - t0) / 1000));
  } finally {
    db.close();
  }
}

export function runStoreBench(series: number, points: number, width: number): StoreBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-store-bench-'));
  try {
    const path = join(dir, 'bench.sqlite');
    const names = Array.from({ length: series }, (_, i) => `metric/${i}`);
    let t = performance.now();
    const [run] = fillBenchDatabase(path, 1, names, points) as [string];
    const fillMs = performance.now() - t;
    t = performance.now();
    buildLod(path);
    const lodBuildMs = performance.now() - t;
    const store = openStore(path);
    const time = (source: 'raw' | 'lod'): number => {
      const t0 = performance.now();
      for (const name of names) store.readSeriesBuckets(run, name, width, {}, source);
      return performance.now() - t0;
    };
    time('lod'); // warm the page cache and statements
    const lodReadMs = Math.min(time('lod'), time('lod'), time('lod'));
    const blocks = (): number => {
      const t0 = performance.now();
      for (const name of names) store.readBlockBuckets(run, name, width);
      return performance.now() - t0;
    };
    blocks();
    const blockReadMs = Math.min(blocks(), blocks(), blocks());
    const rawReadMs = time('raw');
    store.close();
    const appendN = Math.max(1000, Math.min(points, 500_000));
    return {
      series,
      points,
      width,
      fillMs,
      lodBuildMs,
      rawReadMs,
      lodReadMs,
      blockReadMs,
      appendPointsPerSecWithLod: appendRate(dir, true, appendN),
      appendPointsPerSecWithoutLod: appendRate(dir, false, appendN),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  return v;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const r = runStoreBench(
    arg(argv, '--series', 10),
    arg(argv, '--points', 1_000_000),
    arg(argv, '--width', 1000),
  );
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const ms = (x: number): string => `${x.toFixed(0)} ms`;
    process.stdout.write(
      `Store: ${r.series} series x ${r.points} points, read at width ${r.width}\n` +
        `  raw scan            ${ms(r.rawReadMs)}\n` +
        `  level of detail     ${ms(r.lodReadMs)}  (${(r.rawReadMs / r.lodReadMs).toFixed(0)}x)\n` +
        `  block-aligned       ${ms(r.blockReadMs)}  (${(r.rawReadMs / r.blockReadMs).toFixed(0)}x; compare views and figures)\n` +
        `  fill ${ms(r.fillMs)}, building the blocks ${ms(r.lodBuildMs)}\n` +
        `  append (4 series, batches of 1000): ${r.appendPointsPerSecWithLod} points/s with the blocks, ` +
        `${r.appendPointsPerSecWithoutLod} without\n`,
    );
  }
}
