import seedrandom from 'seedrandom';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store/index';
import type { SeriesBucket } from '../../../src/shared/runTypes';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';
import {
  randomSteps,
  randomValue,
  type RandomStepsOptions,
  type RandomValueOptions,
} from '../../helpers/randomSeries';

const temp = makeTempDirs();
afterAll(temp.cleanup);

/** The block widths of the level-of-detail table, log2, as its file comment lists them. */
const LEVELS = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24];

/**
 * The documented bucket width, by trying every allowed width in increasing order: k 2^L with k < 4
 * below the top level, any k at the top; the first for which [from, to] meets at most `most` buckets.
 */
function expectedWidth(from: number, to: number, most: number): number {
  const fits = (w: number): boolean => Math.floor(to / w) - Math.floor(from / w) + 1 <= most;
  for (const level of LEVELS.slice(0, -1)) {
    for (const k of [1, 2, 3]) if (fits(k * 2 ** level)) return k * 2 ** level;
  }
  for (let k = 1; ; k++) if (fits(k * 2 ** 24)) return k * 2 ** 24;
}

/**
 * The reference read from the points as written: the first point in [from, to] alone, the rest by
 * floor(step / W), each bucket clipped; per bucket the first strictly smallest / largest finite value
 * and the value at the largest step. Every point alone when there are at most `perPointUpTo`.
 */
function reference(
  points: ReadonlyMap<number, number>,
  from: number,
  to: number,
  width: number,
  perPointUpTo: number,
): SeriesBucket[] {
  const inRange = [...points.entries()].filter(([s]) => s >= from && s <= to).sort((a, b) => a[0] - b[0]);
  const p0 = inRange[0]?.[0];
  if (p0 === undefined) return [];
  const keyOf = (s: number): number =>
    inRange.length <= perPointUpTo || s === p0 ? s : Math.floor(s / width) * width + width - 1;
  const out = new Map<number, SeriesBucket>();
  for (const [step, value] of inRange) {
    const key = keyOf(step);
    let b = out.get(key);
    if (!b) {
      const alone = inRange.length <= perPointUpTo || step === p0;
      b = {
        stepFrom: alone ? step : Math.max(key - width + 1, p0 + 1),
        stepTo: alone ? step : Math.min(key, to),
        min: null,
        minStep: null,
        max: null,
        maxStep: null,
        last: Number.NaN,
        lastStep: -1,
      };
      out.set(key, b);
    }
    b.last = value;
    b.lastStep = step;
    if (Number.isFinite(value)) {
      if (b.min === null || value < b.min) [b.min, b.minStep] = [value, step];
      if (b.max === null || value > b.max) [b.max, b.maxStep] = [value, step];
    }
  }
  return [...out.values()];
}

const VALUES: RandomValueOptions = { nanStretch: { every: 700, length: 25 } };
const STEPS: RandomStepsOptions = { startSpread: 4000, bigGap: { p: 0.01, max: 20_000 } };

/** Block-aligned reads agree with the reference over random ranges, widths and cut-offs. */
function expectReads(
  store: Store,
  run: string,
  name: string,
  points: ReadonlyMap<number, number>,
  rng: () => number,
  reads: number,
): void {
  const steps = [...points.keys()].sort((a, b) => a - b);
  const lo = steps[0] as number;
  const hi = steps[steps.length - 1] as number;
  const cases: { from: number; to: number; max: number; per?: number }[] = [{ from: lo, to: hi, max: 1000 }];
  for (let k = 0; k < reads; k++) {
    const from = lo - 50 + Math.floor(rng() * (hi - lo + 100));
    const to = from + Math.floor(rng() * rng() * (hi - lo + 100));
    const max = 3 + Math.floor(rng() * rng() * 3000);
    const per = rng() < 0.3 ? 0 : rng() < 0.5 ? Math.floor(rng() * max) : undefined;
    cases.push({ from, to, max, ...(per === undefined ? {} : { per }) });
    // A narrow range: points alone, or a bucket cut at both edges.
    const near = from + Math.floor(rng() * 40);
    cases.push({ from, to: near, max: 3, per: 0 });
    // Exactly as many points as the cut-off: each alone.
    const held = steps.filter((s) => s >= from && s <= near).length;
    cases.push({ from, to: near, max: Math.max(3, held), per: held });
  }
  for (const c of cases) {
    const what = `${name} ${c.from}..${c.to} max ${c.max} per ${c.per}`;
    const got = store.readBlockBuckets(
      run,
      name,
      c.max,
      { fromStep: c.from, toStep: c.to },
      c.per === undefined ? {} : { perPointUpTo: c.per },
    );
    const width = expectedWidth(c.from, c.to, c.max - 1);
    const count = steps.filter((s) => s >= c.from && s <= c.to).length;
    const per = Math.min(c.per ?? c.max, c.max);
    expect(got.width, what).toBe(width);
    expect(got.points, what).toBe(count);
    expect(got.perPoint, what).toBe(count <= per);
    // toEqual tells -0 from 0 and matches NaN with NaN.
    expect(got.buckets, what).toEqual(reference(points, c.from, c.to, width, per));
    expect(got.buckets.length, what).toBeLessThanOrEqual(c.max);
    if (count > 0) {
      const first = steps.find((s) => s >= c.from) as number;
      const last = steps.filter((s) => s <= c.to).at(-1) as number;
      expect(got.buckets[0]?.lastStep, what).toBe(first);
      expect(got.buckets.at(-1)?.lastStep, what).toBe(last);
    }
  }
}

describe('block-aligned bucket reads', () => {
  it('match the reference on random series, appended in batches, rewritten and truncated', () => {
    const rng = seedrandom('block-buckets');
    const store = openStore(join(temp.dir(), 'blocks.sqlite'));
    try {
      const run = store.createRun(sampleConfig());
      const series = new Map<string, Map<number, number>>();
      const pending: { series: string; step: number; value: number }[] = [];
      for (const name of ['a', 'b']) {
        const points = new Map<number, number>();
        randomSteps(rng, 30_000, STEPS).forEach((step, i) => points.set(step, randomValue(rng, i, VALUES)));
        series.set(name, points);
        for (const [step, value] of points) pending.push({ series: name, step, value });
      }
      // Interleaved series in batches of random size, as the PointWriter sends them.
      pending.sort((x, y) => x.step - y.step);
      for (let i = 0; i < pending.length;) {
        const size = 1 + Math.floor(rng() * 5000);
        store.appendPoints(run, pending.slice(i, i + size));
        i += size;
      }
      for (const [name, points] of series) expectReads(store, run, name, points, rng, 60);

      // Rewritten steps, some turning a block's min or max into NaN.
      const a = series.get('a') as Map<number, number>;
      const aSteps = [...a.keys()];
      const rewrites = Array.from({ length: 500 }, () => ({
        series: 'a',
        step: aSteps[Math.floor(rng() * aSteps.length)] as number,
        value: rng() < 0.5 ? Number.NaN : randomValue(rng, 1, VALUES),
      }));
      store.appendPoints(run, rewrites);
      for (const r of rewrites) a.set(r.step, r.value);
      expectReads(store, run, 'a', a, rng, 30);

      // Truncated back to a checkpoint mid-series, then resumed past it.
      const cut = aSteps[Math.floor(aSteps.length / 2)] as number;
      store.truncateRunAfter(run, cut);
      for (const points of series.values()) for (const s of [...points.keys()]) if (s > cut) points.delete(s);
      expectReads(store, run, 'a', a, rng, 30);
      const resumed = Array.from({ length: 4000 }, (_, i) => ({
        series: 'b',
        step: cut + 1 + i,
        value: randomValue(rng, i, VALUES),
      }));
      store.appendPoints(run, resumed);
      const b = series.get('b') as Map<number, number>;
      for (const p of resumed) b.set(p.step, p.value);
      expectReads(store, run, 'b', b, rng, 30);
    } finally {
      store.close();
    }
  });

  it('a series far from step 0, over a span wider than the top level holds', () => {
    const store = openStore(join(temp.dir(), 'far.sqlite'));
    try {
      const run = store.createRun(sampleConfig());
      const base = 2 ** 40 + 3;
      const points = new Map<number, number>([
        [-(2 ** 30), 1],
        [base, -0],
        [base + 1, 2],
        [base + 2 ** 25, Number.NEGATIVE_INFINITY],
        [base + 2 ** 26, -0],
      ]);
      store.appendPoints(
        run,
        [...points].map(([step, value]) => ({ series: 'x', step, value })),
      );
      expectReads(store, run, 'x', points, seedrandom('far'), 20);
      const whole = store.readBlockBuckets(run, 'x', 3, {}, { perPointUpTo: 0 });
      expect(whole.width).toBe(expectedWidth(-(2 ** 30), base + 2 ** 26, 2));
      expect(whole.width).toBeGreaterThan(2 ** 26);
    } finally {
      store.close();
    }
  });

  it('line up across series with different first steps read over one range', () => {
    const store = openStore(join(temp.dir(), 'align.sqlite'));
    try {
      const run = store.createRun(sampleConfig());
      const early = Array.from({ length: 20_000 }, (_, i) => ({ series: 'early', step: i, value: i }));
      const late = Array.from({ length: 13_000 }, (_, i) => ({
        series: 'late',
        step: 1003 + 2 * i,
        value: i,
      }));
      store.appendPoints(run, [...early, ...late]);
      const range = { fromStep: 0, toStep: 27_001 };
      const e = store.readBlockBuckets(run, 'early', 500, range);
      const l = store.readBlockBuckets(run, 'late', 500, range);
      expect(e.width).toBe(l.width);
      // Past each one's first point, every bucket is a whole bucket of the one grid, but at the end.
      for (const r of [e, l]) {
        for (const b of r.buckets.slice(2, -1)) {
          expect(b.stepFrom % r.width).toBe(0);
          expect(b.stepTo - b.stepFrom + 1).toBe(r.width);
        }
      }
      const starts = new Set(e.buckets.slice(2).map((b) => b.stepFrom));
      const shared = l.buckets.slice(2).filter((b) => starts.has(b.stepFrom));
      expect(shared.length).toBeGreaterThan(200);
    } finally {
      store.close();
    }
  });

  it('refuse fewer than 3 buckets, and read no series as empty', () => {
    const store = openStore(join(temp.dir(), 'bad.sqlite'));
    try {
      const run = store.createRun(sampleConfig());
      store.appendPoints(run, [{ series: 'x', step: 1, value: 1 }]);
      expect(() => store.readBlockBuckets(run, 'x', 2)).toThrow(RangeError);
      expect(store.readBlockBuckets(run, 'nope', 10)).toEqual({
        points: 0,
        width: 1,
        perPoint: true,
        buckets: [],
      });
    } finally {
      store.close();
    }
  });
});
