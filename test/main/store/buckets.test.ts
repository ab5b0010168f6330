import seedrandom from 'seedrandom';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import type { SeriesBucket } from '../../../src/shared/runTypes';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

let store: Store;
let run: string;
beforeEach(() => {
  store = openStore(join(temp.dir(), 'buckets.sqlite'));
  run = store.createRun(sampleConfig());
});
afterEach(() => store.close());

interface P {
  step: number;
  value: number;
}

/**
 * The reference: assign each point to floor((s - from) B / n), then scan in step order keeping the
 * first strictly smaller / larger finite value and the last value.
 */
function bruteBuckets(points: readonly P[], buckets: number, from: number, to: number): SeriesBucket[] {
  const span = to - from + 1;
  const nb = Math.min(buckets, span);
  const out = new Map<number, SeriesBucket>();
  for (const p of points) {
    if (p.step < from || p.step > to) continue;
    const b = Math.floor(((p.step - from) * nb) / span);
    let k = out.get(b);
    if (!k) {
      k = {
        stepFrom: from + Math.ceil((b * span) / nb),
        stepTo: from + Math.ceil(((b + 1) * span) / nb) - 1,
        min: null,
        minStep: null,
        max: null,
        maxStep: null,
        last: Number.NaN,
        lastStep: -1,
      };
      out.set(b, k);
    }
    k.last = p.value;
    k.lastStep = p.step;
    if (Number.isFinite(p.value)) {
      if (k.min === null || p.value < k.min) [k.min, k.minStep] = [p.value, p.step];
      if (k.max === null || p.value > k.max) [k.max, k.maxStep] = [p.value, p.step];
    }
  }
  return [...out.entries()].sort((x, y) => x[0] - y[0]).map(([, k]) => k);
}

/** Steps with gaps, values with ties, NaN, +-Infinity, -0, and a stretch that is all NaN. */
function randomSeries(rng: () => number, n: number, firstStep: number): P[] {
  const points: P[] = [];
  let step = firstStep;
  for (let i = 0; i < n; i++) {
    step += rng() < 0.05 ? 1 + Math.floor(rng() * 40) : 1 + Math.floor(rng() * 3);
    const u = rng();
    let value = Math.round((rng() * 4 - 2) * 10) / 10;
    if (u < 0.03) value = Number.NaN;
    else if (u < 0.04) value = Number.POSITIVE_INFINITY;
    else if (u < 0.05) value = Number.NEGATIVE_INFINITY;
    else if (u < 0.06) value = -0;
    if (i > n / 2 && i < n / 2 + 40) value = Number.NaN;
    points.push({ step, value });
  }
  return points;
}

describe('readSeriesBuckets', () => {
  it('matches a brute-force computation on random data with NaN/Inf, ties and gaps', () => {
    const rng = seedrandom('buckets');
    const points = randomSeries(rng, 5000, -100);
    store.appendPoints(
      run,
      points.map((p) => ({ series: 'train/loss', ...p })),
    );
    const first = points[0]?.step ?? 0;
    const last = points.at(-1)?.step ?? 0;
    const cases: [number, number | undefined, number | undefined][] = [
      [1000, undefined, undefined],
      [37, undefined, undefined],
      [1, undefined, undefined],
      [100_000, undefined, undefined], // more buckets than steps: one step per bucket
      [200, first + 333, last - 777],
      [64, first - 500, last + 500], // a requested range wider than the data
      [10, first + 2000, first + 2000],
      [100, last + 1, last + 100], // no data there
    ];
    for (const [buckets, fromStep, toStep] of cases) {
      const got = store.readSeriesBuckets(run, 'train/loss', buckets, {
        ...(fromStep === undefined ? {} : { fromStep }),
        ...(toStep === undefined ? {} : { toStep }),
      });
      expect(got).toEqual(bruteBuckets(points, buckets, fromStep ?? first, toStep ?? last));
    }
    // The data exercises the cases: a bucket with only non-finite values, an infinite last value.
    const fine = store.readSeriesBuckets(run, 'train/loss', 100_000);
    expect(fine.some((b) => b.min === null && Number.isNaN(b.last))).toBe(true);
    expect(fine.some((b) => b.last === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('returns nothing for a missing series and rejects a bad bucket count', () => {
    expect(store.readSeriesBuckets(run, 'nope', 10)).toEqual([]);
    store.appendPoints(run, [{ series: 'a', step: 0, value: 1 }]);
    expect(() => store.readSeriesBuckets(run, 'a', 0)).toThrow(RangeError);
    expect(() => store.readSeriesBuckets(run, 'a', 2.5)).toThrow(RangeError);
  });

  it('1,000,000 points: insert in 100 batches, downsample to 1000 buckets, agree with brute force (timed)', () => {
    const N = 1_000_000;
    const rng = seedrandom('million');
    const points: P[] = new Array<P>(N);
    for (let i = 0; i < N; i++) {
      const u = rng();
      points[i] = { step: i, value: u < 0.001 ? Number.NaN : u < 0.002 ? Number.POSITIVE_INFINITY : rng() };
    }
    const stored = points.map((p) => ({ series: 'train/loss', ...p }));

    let t = performance.now();
    for (let i = 0; i < N; i += 10_000) store.appendPoints(run, stored.slice(i, i + 10_000));
    const insertMs = performance.now() - t;

    t = performance.now();
    const buckets = store.readSeriesBuckets(run, 'train/loss', 1000);
    const bucketMs = performance.now() - t;

    t = performance.now();
    const all = store.readSeries(run, 'train/loss');
    const readMs = performance.now() - t;

    console.log(
      `[store] 1M points: insert ${insertMs.toFixed(0)} ms (${((N / insertMs) * 1000).toFixed(0)} points/s), ` +
        `1000 buckets ${bucketMs.toFixed(0)} ms, full read ${readMs.toFixed(0)} ms`,
    );
    expect(all.steps.length).toBe(N);
    expect(buckets).toHaveLength(1000);
    expect(buckets).toEqual(bruteBuckets(points, 1000, 0, N - 1));
    // Generous bounds: the test machine is shared; unloaded figures are several times lower.
    expect(insertMs).toBeLessThan(30_000);
    expect(bucketMs).toBeLessThan(5_000);
  });
});
