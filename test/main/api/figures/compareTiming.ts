/**
 * Times buildCompareFigure over 10 runs x 1,000,000 points of `train/loss` at 1000 px (issue 8: well
 * under a second), one line per run and one group of all ten, x in steps, epochs and wall time, a zoom
 * to a tenth of the steps, and smoothing (the first build reads every point, the next hits the cache).
 * Prints the times; asserts nothing, since they depend on the machine.
 *
 *   npx tsx test/main/api/figures/compareTiming.ts [--runs 10] [--points 1000000] [--width 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCompareFigure } from '../../../../src/main/api/figures/compareFigure';
import { openStore } from '../../../../src/main/store';
import { buildLod, fillBenchDatabase } from '../../../../src/main/store/lodBench';
import { compareSpecSchema, type CompareSpec } from '../../../../src/shared/plots';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const runs = arg('runs', 10);
const points = arg('points', 1_000_000);
const width = arg('width', 1000);

const dir = mkdtempSync(join(tmpdir(), 'normlab-compare-timing-'));
try {
  const path = join(dir, 'bench.sqlite');
  let t = performance.now();
  const runIds = fillBenchDatabase(path, runs, ['train/loss'], points);
  buildLod(path);
  console.log(`filled ${runs} x ${points} points in ${Math.round(performance.now() - t)} ms`);
  const store = openStore(path);
  const ctx = { store, dbPath: path };
  const time = (what: string, spec: Partial<CompareSpec>): void => {
    const full = compareSpecSchema.parse({
      kind: 'compare',
      runIds,
      panels: [{ metric: 'train/loss' }],
      ...spec,
    });
    t = performance.now();
    const figure = buildCompareFigure(ctx, full, width);
    const ms = performance.now() - t;
    const panel = figure.panels[0];
    console.log(
      `${what.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms   lines ${panel?.lines.length}, ` +
        `drawn ${panel?.sampling?.drawn} of ${panel?.sampling?.stored}`,
    );
  };
  time('step (warm-up)', {});
  time('step', {});
  time('step, one group of all', { groupBy: ['model.network'] });
  time('epoch', { x: 'epoch' });
  time('time', { x: 'time' });
  time('step, zoom to a tenth', { range: [points * 0.45, points * 0.55] });
  time('time, zoom to a tenth', { x: 'time', range: [points * 0.0045, points * 0.0055] });
  time('smoothing 0.9 (first)', { smoothing: 0.9 });
  time('smoothing 0.9 (cached)', { smoothing: 0.9 });
  time('smoothing 0.9, zoom (cached)', { smoothing: 0.9, range: [points * 0.45, points * 0.55] });
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
