/**
 * The per-series summary (points, first/last step, last value, finite min and max), kept by every
 * write, against the brute force over the stored points; and chart reads with the first and last
 * point always present.
 */
import seedrandom from 'seedrandom';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

let store: Store;
let run: string;
beforeEach(() => {
  store = openStore(join(temp.dir(), 'summary.sqlite'));
  run = store.createRun(sampleConfig());
});
afterEach(() => store.close());

/** What the summary must say, computed from every stored point. */
function brute(name: string) {
  const { steps, values } = store.readSeries(run, name);
  const finite = [...values].filter((v) => Number.isFinite(v));
  return {
    name,
    points: steps.length,
    firstStep: steps[0],
    lastStep: steps[steps.length - 1],
    last: values[values.length - 1],
    min: finite.length ? Math.min(...finite) : null,
    max: finite.length ? Math.max(...finite) : null,
  };
}

function summary(name: string) {
  return store.listSeriesStats(run).find((s) => s.name === name);
}

describe('series summary', () => {
  it('follows batches appended in step order, non-finite values kept out of min and max', () => {
    store.appendPoints(run, [
      { series: 'loss', step: 1, value: 3 },
      { series: 'acc', step: 1, value: 0.1 },
      { series: 'loss', step: 2, value: Number.NaN },
    ]);
    expect(summary('loss')).toEqual({
      name: 'loss',
      points: 2,
      firstStep: 1,
      lastStep: 2,
      last: NaN,
      min: 3,
      max: 3,
    });
    store.appendPoints(run, [
      { series: 'loss', step: 3, value: -1 },
      { series: 'loss', step: 4, value: Number.POSITIVE_INFINITY },
    ]);
    expect(summary('loss')).toEqual({ ...brute('loss'), last: Infinity, min: -1, max: 3 });
    expect(summary('acc')).toEqual(brute('acc'));
  });

  it('a series of only non-finite values has null min and max', () => {
    store.appendPoints(run, [{ series: 'x', step: 5, value: Number.NEGATIVE_INFINITY }]);
    expect(summary('x')).toMatchObject({ points: 1, min: null, max: null, last: -Infinity });
  });

  it('is recomputed when steps are written again or out of order, and after a truncation', () => {
    store.appendPoints(run, [
      { series: 's', step: 1, value: 10 },
      { series: 's', step: 2, value: 20 },
      { series: 's', step: 3, value: 30 },
    ]);
    // Step 3 again with a smaller value: the old maximum is gone.
    store.appendPoints(run, [{ series: 's', step: 3, value: 1 }]);
    expect(summary('s')).toEqual(brute('s'));
    expect(summary('s')).toMatchObject({ points: 3, max: 20, last: 1 });
    // Out of order within a batch.
    store.appendPoints(run, [
      { series: 's', step: 9, value: 9 },
      { series: 's', step: 7, value: 70 },
    ]);
    expect(summary('s')).toEqual({ ...brute('s'), last: 9 });
    store.truncateRunAfter(run, 2);
    expect(summary('s')).toEqual(brute('s'));
    expect(summary('s')).toMatchObject({ points: 2, lastStep: 2, max: 20 });
    store.truncateRunAfter(run, 0);
    expect(store.listSeriesStats(run)).toEqual([]);
    expect(store.listSeries(run)).toEqual([]);
  });

  it('agrees with the brute force after random batches, replays and truncations', () => {
    const rng = seedrandom('summary');
    let next = 0;
    for (let round = 0; round < 40; round++) {
      const r = rng();
      if (r < 0.1) {
        next = Math.floor(rng() * next);
        store.truncateRunAfter(run, next);
        continue;
      }
      const replay = r < 0.25 && next > 3;
      const start = replay ? next - 3 : next + 1;
      const points = Array.from({ length: 1 + Math.floor(rng() * 20) }, (_, k) => {
        const u = rng();
        const value = u < 0.05 ? Number.NaN : u < 0.08 ? Number.NEGATIVE_INFINITY : (u - 0.5) * 100;
        return { series: rng() < 0.5 ? 'a' : 'b', step: start + k, value };
      });
      store.appendPoints(run, points);
      next = Math.max(next, ...points.map((p) => p.step));
    }
    for (const s of store.listSeriesStats(run)) expect(s).toEqual(brute(s.name));
  });
});

describe('chart reads', () => {
  it('always hold the first and the last point of the range, and count its points', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => i * 3 + 5);
    store.appendPoints(
      run,
      steps.map((step) => ({ series: 'loss', step, value: Math.sin(step) })),
    );
    for (const [width, range] of [
      [1, {}],
      [2, {}],
      [50, {}],
      [50, { fromStep: 100, toStep: 2000 }],
      [5000, { fromStep: 6 }],
    ] as const) {
      const { points, buckets } = store.readChartSeries(run, 'loss', width, range);
      const inRange = steps.filter((s) => s >= (range.fromStep ?? 0) && s <= (range.toStep ?? Infinity));
      expect(points).toBe(inRange.length);
      expect(buckets.length).toBeLessThanOrEqual(Math.max(2, width));
      expect(buckets[0]).toMatchObject({
        stepFrom: inRange[0],
        lastStep: inRange[0],
        last: Math.sin(inRange[0] ?? 0),
      });
      expect(buckets.at(-1)?.lastStep).toBe(inRange.at(-1));
      // Buckets are disjoint and in step order.
      for (let k = 1; k < buckets.length; k++) {
        expect(buckets[k]?.stepFrom).toBeGreaterThan(buckets[k - 1]?.stepTo ?? Infinity);
      }
    }
  });

  it('of an unknown series or an empty range are empty', () => {
    store.appendPoints(run, [{ series: 'loss', step: 10, value: 1 }]);
    expect(store.readChartSeries(run, 'nope', 100)).toEqual({ points: 0, buckets: [] });
    expect(store.readChartSeries(run, 'loss', 100, { fromStep: 11 })).toEqual({ points: 0, buckets: [] });
    expect(store.readChartSeries(run, 'loss', 100)).toEqual({
      points: 1,
      buckets: [
        { stepFrom: 10, stepTo: 10, min: 1, minStep: 10, max: 1, maxStep: 10, last: 1, lastStep: 10 },
      ],
    });
  });
});
