import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';
import { countWalCommits, pinWal } from './fixtures/walCommits';

const temp = makeTempDirs();
afterAll(temp.cleanup);

let path: string;
let store: Store;
let run: string;
beforeEach(() => {
  path = join(temp.dir(), 'series.sqlite');
  store = openStore(path);
  run = store.createRun(sampleConfig());
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
});

const SPECIAL = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  5e-324,
  -1.7976931348623157e308,
];

describe('points', () => {
  it('round-trip every double, NaN, +-Infinity and -0 included, through every read path', () => {
    const values = [...SPECIAL, Math.PI, -2.5, 1e300];
    store.appendPoints(
      run,
      values.map((value, step) => ({ series: 'train/loss', step, value, time: 1000 + step })),
    );
    const read = store.readSeries(run, 'train/loss');
    expect([...read.steps]).toEqual(values.map((_, i) => i));
    // toEqual tells -0 from 0 and matches NaN with NaN.
    expect([...read.values]).toEqual(values);
    expect([...store.exportMetrics(run)]).toEqual(
      values.map((value, step) => ({ series: 'train/loss', step, value, time: 1000 + step })),
    );
    const buckets = store.readSeriesBuckets(run, 'train/loss', values.length);
    expect(buckets.map((b) => b.last)).toEqual(values);
  });

  it('keeps one value per (series, step): writing a step again replaces it', () => {
    store.appendPoints(run, [
      { series: 'a', step: 1, value: 1 },
      { series: 'a', step: 2, value: 2 },
    ]);
    store.appendPoints(run, [{ series: 'a', step: 2, value: 20 }]);
    expect([...store.readSeries(run, 'a').values]).toEqual([1, 20]);
  });

  it('reads a step range, lists series with their ranges, and exports ordered by series then step', () => {
    const now = Date.now();
    store.appendPoints(run, [
      { series: 'train/loss', step: 30, value: 3 },
      { series: 'test/acc', step: 10, value: 0.1 },
      { series: 'train/loss', step: 10, value: 1 },
      { series: 'train/loss', step: 20, value: 2 },
    ]);
    const r = store.readSeries(run, 'train/loss', { fromStep: 15, toStep: 30 });
    expect([...r.steps]).toEqual([20, 30]);
    expect([...r.values]).toEqual([2, 3]);
    expect(store.readSeries(run, 'missing').steps.length).toBe(0);
    expect(store.listSeries(run)).toEqual([
      { name: 'test/acc', firstStep: 10, lastStep: 10 },
      { name: 'train/loss', firstStep: 10, lastStep: 30 },
    ]);
    const rows = [...store.exportMetrics(run)];
    expect(rows.map((x) => [x.series, x.step, x.value])).toEqual([
      ['test/acc', 10, 0.1],
      ['train/loss', 10, 1],
      ['train/loss', 20, 2],
      ['train/loss', 30, 3],
    ]);
    for (const x of rows) expect(x.time).toBeGreaterThanOrEqual(now);
  });

  it("sets the run's last step in the same transaction as the points", () => {
    const pin = pinWal(path);
    try {
      const before = countWalCommits(path);
      store.appendPoints(run, [{ series: 'a', step: 7, value: 1 }], { lastStep: 7 });
      expect(countWalCommits(path) - before).toBe(1);
    } finally {
      pin.release();
    }
    expect(store.getRun(run)?.lastStep).toBe(7);
  });

  it('rejects a non-integer step before writing anything', () => {
    expect(() =>
      store.appendPoints(run, [
        { series: 'a', step: 1, value: 1 },
        { series: 'a', step: 1.5, value: 1 },
      ]),
    ).toThrow(RangeError);
    expect(store.listSeries(run)).toEqual([]);
  });

  it('truncateRunAfter forgets points and checkpoints after a step (resume from that checkpoint)', () => {
    store.appendPoints(
      run,
      [1, 2, 3, 4].map((step) => ({ series: 'a', step, value: step })),
    );
    store.saveCheckpoint(run, 2, new Uint8Array([2]));
    store.saveCheckpoint(run, 4, new Uint8Array([4]));
    store.truncateRunAfter(run, 2);
    expect([...store.readSeries(run, 'a').steps]).toEqual([1, 2]);
    expect(store.getLatestCheckpoint(run)?.step).toBe(2);
    expect(store.getRun(run)?.lastStep).toBe(2);
  });
});

describe('batched transactions (counted from the WAL file, not from the store)', () => {
  const N = 10_000;
  const points = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      series: i % 2 ? 'train/loss' : 'train/acc',
      step: from + i,
      value: i,
    }));

  function commitsDuring(fn: () => void): number {
    const pin = pinWal(path);
    try {
      const before = countWalCommits(path);
      fn();
      return countWalCommits(path) - before;
    } finally {
      pin.release();
    }
  }

  it('the counter sees one commit per single-point write (so it can catch per-point commits)', () => {
    expect(
      commitsDuring(() => {
        for (let i = 0; i < 50; i++) store.appendPoints(run, [{ series: 'a', step: i, value: i }]);
      }),
    ).toBe(50);
  });

  it('appendPoints writes a batch of any size in one transaction', () => {
    expect(commitsDuring(() => store.appendPoints(run, points(0, N)))).toBe(1);
    expect(
      commitsDuring(() => {
        for (let b = 0; b < 10; b++) store.appendPoints(run, points(N + b * 1000, 1000));
      }),
    ).toBe(10);
    expect(
      store.readSeries(run, 'train/loss').steps.length + store.readSeries(run, 'train/acc').steps.length,
    ).toBe(2 * N);
  });

  it('a point writer adding N points one by one commits N / maxPoints times', () => {
    const commits = commitsDuring(() => {
      const w = store.pointWriter(run, { maxPoints: 500, maxDelayMs: 60_000 });
      for (const p of points(0, N)) w.add(p);
      expect(w.pending).toBe(0);
      w.close();
    });
    expect(commits).toBe(N / 500);
    expect(store.readSeries(run, 'train/acc').steps.length).toBe(N / 2);
  });

  it('a point writer flushes what is pending after maxDelayMs, with the last step', () => {
    vi.useFakeTimers();
    const w = store.pointWriter(run, { maxPoints: 1000, maxDelayMs: 200 });
    const commits = commitsDuring(() => {
      w.addMany(points(0, 10));
      w.setLastStep(9);
      vi.advanceTimersByTime(199);
      expect(w.pending).toBe(10);
      vi.advanceTimersByTime(1);
      expect(w.pending).toBe(0);
    });
    expect(commits).toBe(1);
    expect(store.getRun(run)?.lastStep).toBe(9);
    w.close();
  });

  it('Store.close flushes open point writers', () => {
    const w = store.pointWriter(run, { maxPoints: 1000, maxDelayMs: 60_000 });
    w.addMany(points(0, 10));
    store.close();
    store = openStore(path);
    expect(store.readSeries(run, 'train/acc').steps.length).toBe(5);
  });

  it('a failed timed flush keeps its points and surfaces the error on the next call', () => {
    vi.useFakeTimers();
    const doomed = store.createRun(sampleConfig());
    const w = store.pointWriter(doomed, { maxPoints: 1000, maxDelayMs: 10 });
    w.add({ series: 'a', step: 1, value: 1 });
    store.deleteRun(doomed);
    vi.advanceTimersByTime(10);
    expect(w.pending).toBe(1);
    expect(() => w.add({ series: 'a', step: 2, value: 2 })).toThrow(/No run with id/);
    expect(() => w.close()).toThrow(/No run with id/);
  });
});
