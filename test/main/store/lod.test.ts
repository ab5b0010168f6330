import Database from 'better-sqlite3';
import seedrandom from 'seedrandom';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/store/index';
import { MIGRATIONS, migrate } from '../../../src/main/store/migrations';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';
import {
  randomSteps,
  randomValue,
  type RandomStepsOptions,
  type RandomValueOptions,
} from '../../helpers/randomSeries';

const temp = makeTempDirs();
afterAll(temp.cleanup);

interface P {
  series: string;
  step: number;
  value: number;
}

const VALUES: RandomValueOptions = { nanStretch: { every: 500, length: 20 } };
const STEPS: RandomStepsOptions = { startSpread: 2000, bigGap: { p: 0.02, max: 5000 } };

type S = ReturnType<typeof openStore>;

/** LOD and raw-scan reads agree over random ranges and widths, the whole range and one-step ranges. */
function expectSameReads(
  store: S,
  run: string,
  name: string,
  rng: () => number,
  lo: number,
  hi: number,
): void {
  const ranges: [number | undefined, number | undefined, number][] = [[undefined, undefined, 1000]];
  for (let k = 0; k < 40; k++) {
    const a = lo - 50 + Math.floor(rng() * (hi - lo + 100));
    const b = a + Math.floor(rng() * rng() * (hi - lo + 100));
    const width = 1 + Math.floor(rng() * rng() * 3000);
    ranges.push([a, b, width]);
    ranges.push([a, a + Math.floor(rng() * 10), 1 + Math.floor(rng() * 5)]);
  }
  for (const [fromStep, toStep, width] of ranges) {
    const range = {
      ...(fromStep !== undefined ? { fromStep } : {}),
      ...(toStep !== undefined ? { toStep } : {}),
    };
    const lod = store.readSeriesBuckets(run, name, width, range, 'lod');
    const raw = store.readSeriesBuckets(run, name, width, range, 'raw');
    // toEqual tells -0 from 0 and matches NaN with NaN.
    expect(lod, `${name} ${fromStep}..${toStep} width ${width}`).toEqual(raw);
  }
}

function writeRandom(
  store: S,
  run: string,
  rng: () => number,
  names: string[],
  n: number,
): Map<string, number[]> {
  const stepsOf = new Map<string, number[]>();
  const pending: P[] = [];
  for (const name of names) {
    const steps = randomSteps(rng, n, STEPS);
    stepsOf.set(name, steps);
    steps.forEach((step, i) => pending.push({ series: name, step, value: randomValue(rng, i, VALUES) }));
  }
  // Interleaved series in batches of random size, as the PointWriter sends them.
  pending.sort((x, y) => x.step - y.step);
  for (let i = 0; i < pending.length;) {
    const size = 1 + Math.floor(rng() * 3000);
    store.appendPoints(run, pending.slice(i, i + size));
    i += size;
  }
  return stepsOf;
}

describe('level-of-detail bucketed reads', () => {
  it('return exactly what the raw scan returns, on random series, ranges and widths', () => {
    const rng = seedrandom('lod');
    const store = openStore(join(temp.dir(), 'lod.sqlite'));
    try {
      const run = store.createRun(sampleConfig());
      const stepsOf = writeRandom(store, run, rng, ['a', 'b', 'c'], 20_000);
      for (const [name, steps] of stepsOf) {
        expectSameReads(store, run, name, rng, steps[0] as number, steps[steps.length - 1] as number);
      }
      // Rewritten steps, out of order, some turning a block's min or max into NaN.
      const a = stepsOf.get('a') as number[];
      const rewrites = Array.from({ length: 500 }, () => ({
        series: 'a',
        step: a[Math.floor(rng() * a.length)] as number,
        value: rng() < 0.5 ? Number.NaN : randomValue(rng, 1, VALUES),
      }));
      store.appendPoints(run, rewrites);
      expectSameReads(store, run, 'a', rng, a[0] as number, a[a.length - 1] as number);
      // Truncated back to a checkpoint mid-series, then resumed past it.
      const cut = a[Math.floor(a.length / 2)] as number;
      store.truncateRunAfter(run, cut);
      expectSameReads(store, run, 'a', rng, a[0] as number, cut);
      store.appendPoints(
        run,
        Array.from({ length: 3000 }, (_, i) => ({
          series: 'a',
          step: cut + 1 + i,
          value: randomValue(rng, i, VALUES),
        })),
      );
      expectSameReads(store, run, 'a', rng, a[0] as number, cut + 3000);
      expectSameReads(store, run, 'b', rng, cut - 100, cut + 3100);
      // Chart reads (first point alone, then width - 1 buckets) go through the same path.
      const chart = store.readChartSeries(run, 'b', 800);
      expect(chart.buckets[0]?.stepFrom).toBe((stepsOf.get('b') as number[])[0]);
    } finally {
      store.close();
    }
  });

  it('a bucket of one huge block range and a series far from step 0', () => {
    const store = openStore(join(temp.dir(), 'far.sqlite'));
    try {
      const run = store.createRun(sampleConfig());
      const base = 2 ** 40 + 3;
      store.appendPoints(run, [
        { series: 'x', step: -(2 ** 30), value: 1 },
        { series: 'x', step: base, value: -0 },
        { series: 'x', step: base + 2 ** 25, value: Number.NEGATIVE_INFINITY },
        { series: 'x', step: base + 2 ** 26, value: -0 },
      ]);
      const rng = seedrandom('far');
      expectSameReads(store, run, 'x', rng, -(2 ** 30), base + 2 ** 26);
      expect(store.readSeriesBuckets(run, 'x', 1, { fromStep: base, toStep: base + 2 ** 27 })).toEqual([
        {
          stepFrom: base,
          stepTo: base + 2 ** 27,
          min: -0,
          minStep: base,
          max: -0,
          maxStep: base,
          last: -0,
          lastStep: base + 2 ** 26,
        },
      ]);
    } finally {
      store.close();
    }
  });

  it('are dropped with their run', () => {
    const path = join(temp.dir(), 'delete.sqlite');
    const store = openStore(path);
    const run = store.createRun(sampleConfig());
    store.appendPoints(
      run,
      Array.from({ length: 5000 }, (_, i) => ({ series: 'loss', step: i, value: i })),
    );
    const db = new Database(path, { readonly: true });
    try {
      const count = db.prepare('SELECT count(*) FROM point_lod').pluck();
      expect(count.get()).toBeGreaterThan(1000);
      store.deleteRun(run);
      expect(count.get()).toBe(0);
    } finally {
      db.close();
      store.close();
    }
  });

  it('are built for a database written before them (migrations 4 and 5)', () => {
    const path = join(temp.dir(), 'v4.sqlite');
    const rng = seedrandom('migrate');
    {
      const db = new Database(path);
      migrate(db, MIGRATIONS.slice(0, 3));
      db.prepare(
        `INSERT INTO runs (id, config, status, seed, created_at) VALUES ('old00001', '{}', 'completed', 1, 0)`,
      ).run();
      const sid = db
        .prepare(`INSERT INTO series (run_id, name) VALUES ('old00001', 'loss') RETURNING id`)
        .pluck()
        .get();
      const insert = db.prepare(
        'INSERT INTO points (series_id, step, value, nf, time) VALUES (?, ?, ?, ?, 0)',
      );
      db.transaction(() => {
        randomSteps(rng, 30_000, STEPS).forEach((step, i) => {
          const v = randomValue(rng, i, VALUES);
          const nf = Number.isNaN(v)
            ? 1
            : v === Infinity
              ? 2
              : v === -Infinity
                ? 3
                : Object.is(v, -0)
                  ? 4
                  : 0;
          insert.run(sid, step, Number.isFinite(v) ? v : null, nf);
        });
      })();
      db.close();
    }
    const store = openStore(path);
    try {
      const [s] = store.listSeriesStats('old00001');
      expect(s?.points).toBe(30_000);
      expectSameReads(store, 'old00001', 'loss', rng, s?.firstStep as number, s?.lastStep as number);
    } finally {
      store.close();
    }
  });
});
