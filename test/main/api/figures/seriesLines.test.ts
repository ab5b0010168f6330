import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  seriesLines,
  type LineGroup,
  type SeriesLinesOptions,
} from '../../../../src/main/api/figures/seriesLines';
import { openStore, type Store } from '../../../../src/main/store';
import type { PlotLine } from '../../../../src/shared/plots';
import { at, must } from '../../../helpers/defined';
import { tempDirs } from '../../../helpers/tempDirs';
import { contextOf, emaLoop, expectedBuckets, mean, pointsOf, writeRun } from './compareFixture';

const dirs = tempDirs('series-lines');
afterAll(() => dirs.cleanup());

let store: Store;
beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterEach(() => store.close());

/** A noisy decreasing curve with a few NaN gaps. */
const noisy =
  (seed: number) =>
  (s: number): number =>
    s % 97 === 13 ? Number.NaN : 2 / (1 + s / 300) + (((s * 7919 + seed * 104729) % 1000) / 1000 - 0.5) * 0.6;

const options = (extra: Partial<SeriesLinesOptions> = {}): SeriesLinesOptions => ({
  x: 'step',
  widthPx: 100,
  band: 'minmax',
  smoothing: 0,
  ...extra,
});

const single = (id: string, color = 0): LineGroup => ({ key: id, label: id, color, runIds: [id] });
const role = (lines: PlotLine[], r: PlotLine['role']): PlotLine => must(lines.find((l) => l.role === r));

describe('seriesLines: smoothing', () => {
  it('smooths every stored point from the first step, sampled at the drawn steps', () => {
    const pts = pointsOf(0, 4999, noisy(1));
    const id = writeRun(store, { series: { 'train/loss': pts } });
    const result = seriesLines(contextOf(store), [single(id)], 'train/loss', options({ smoothing: 0.9 }));
    const full = emaLoop(
      pts.map(([, v]) => v),
      0.9,
    );
    const line = role(result.lines, 'line');
    const raw = role(result.lines, 'raw');
    expect(line.steps.length).toBeLessThanOrEqual(100);
    expect(raw.steps).toEqual(line.steps);
    expect(raw.color).toBe(line.color);
    line.steps.forEach((s, i) => {
      const expected = at(full, s);
      if (Number.isNaN(expected)) expect(Number.isNaN(at(line.y, i))).toBe(true);
      else expect(at(line.y, i)).toBeCloseTo(expected, 10);
      expect(Object.is(at(raw.y, i), at(pts, s)[1])).toBe(true);
    });
    // Smoothing the drawn (downsampled) points instead gives another curve.
    const ofBuckets = emaLoop(raw.y, 0.9);
    const gap = Math.max(...line.y.map((y, i) => (Number.isFinite(y) ? Math.abs(y - at(ofBuckets, i)) : 0)));
    expect(gap).toBeGreaterThan(0.01);
    expect(result.notes).toContain('smoothing: debiased EMA, alpha 0.9');
    expect(result.sampling.stored).toBe(5000);
    expect(result.sampling.drawn).toBe(line.steps.length);
  });

  it('keeps the state from before a zoom, and sees points written since the last read', () => {
    const pts = pointsOf(0, 2999, noisy(2));
    const id = writeRun(store, { series: { 'train/loss': pts } });
    const zoom = role(
      seriesLines(
        contextOf(store),
        [single(id)],
        'train/loss',
        options({ smoothing: 0.8, range: [1000, 1500] }),
      ).lines,
      'line',
    );
    const full = emaLoop(
      pts.map(([, v]) => v),
      0.8,
    );
    expect(zoom.steps[0]).toBe(1000);
    zoom.steps.forEach((s, i) => {
      if (Number.isFinite(at(full, s))) expect(at(zoom.y, i)).toBeCloseTo(at(full, s), 10);
    });
    // More points: the cached EMA must not be reused.
    const more = pointsOf(3000, 3999, (s) => 10 + noisy(2)(s));
    store.appendPoints(
      id,
      more.map(([step, value]) => ({ series: 'train/loss', step, value })),
    );
    const all = emaLoop(
      [...pts, ...more].map(([, v]) => v),
      0.8,
    );
    const after = role(
      seriesLines(contextOf(store), [single(id)], 'train/loss', options({ smoothing: 0.8 })).lines,
      'line',
    );
    expect(after.steps[after.steps.length - 1]).toBe(3999);
    expect(at(after.y, after.y.length - 1)).toBeCloseTo(at(all, 3999), 10);
  });

  it("averages a group's smoothed runs, with the raw mean under it", () => {
    const runs = [1, 2].map((seed) => pointsOf(0, 499, noisy(seed)));
    const ids = runs.map((pts) => writeRun(store, { series: { 'train/loss': pts } }));
    const group: LineGroup = { key: 'g', label: 'g', color: 3, runIds: ids };
    const result = seriesLines(
      contextOf(store),
      [group],
      'train/loss',
      options({ smoothing: 0.5, widthPx: 1000 }),
    );
    const smooth = runs.map((pts) =>
      emaLoop(
        pts.map(([, v]) => v),
        0.5,
      ),
    );
    const line = role(result.lines, 'line');
    const raw = role(result.lines, 'raw');
    expect(line.label).toBe('g (n=2)');
    expect(line.steps).toEqual(runs[0]?.map(([s]) => s));
    line.steps.forEach((s, i) => {
      const finite = smooth.map((e) => at(e, s)).filter(Number.isFinite);
      if (finite.length > 0) expect(at(line.y, i)).toBeCloseTo(mean(finite), 10);
      const rawFinite = runs.map((pts) => at(pts, s)[1]).filter(Number.isFinite);
      if (rawFinite.length > 0) expect(at(raw.y, i)).toBeCloseTo(mean(rawFinite), 12);
    });
    expect(raw.band).toBeUndefined();
    expect(line.band).toBeDefined();
  });
});

describe('seriesLines: groups over time', () => {
  it("puts a group's point at the mean of its runs' times", () => {
    const t0 = Date.now() + 5_000;
    const fast = writeRun(store, {
      series: { 'train/loss': pointsOf(0, 50, (s) => s, 5) },
      timeOf: (s) => t0 + s * 10,
    });
    const slow = writeRun(store, {
      series: { 'train/loss': pointsOf(0, 50, (s) => 2 * s, 5) },
      timeOf: (s) => t0 + s * 30,
    });
    const startOf = (id: string): number => must(store.getRun(id)?.startedAt ?? undefined);
    const group: LineGroup = { key: 'g', label: 'g', color: 0, runIds: [fast, slow] };
    const line = at(
      seriesLines(contextOf(store), [group], 'train/loss', options({ x: 'time', widthPx: 500 })).lines,
      0,
    );
    expect(line.steps).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    line.steps.forEach((s, i) => {
      const expected = ((t0 + s * 10 - startOf(fast)) / 1000 + (t0 + s * 30 - startOf(slow)) / 1000) / 2;
      expect(at(line.x, i)).toBeCloseTo(expected, 9);
      expect(at(line.y, i)).toBeCloseTo(1.5 * s, 12);
    });
  });
});

describe('seriesLines: alignment of runs with different first steps', () => {
  it('reads every run of a group over the one grid', () => {
    // One run logs from step 0, the other from step 3, every 2 steps.
    const a = pointsOf(0, 400, (s) => Math.cos(s / 9));
    const b = pointsOf(3, 401, (s) => Math.sin(s / 11), 2);
    const ids = [a, b].map((pts) => writeRun(store, { series: { 'train/loss': pts } }));
    const group: LineGroup = { key: 'g', label: 'g', color: 0, runIds: ids };
    const line = at(seriesLines(contextOf(store), [group], 'train/loss', options({ widthPx: 30 })).lines, 0);
    const expected = expectedBuckets([a, b], 0, 401, 30);
    expect(line.steps).toEqual(expected.map((e) => e.step));
    expected.forEach((e, i) => expect(at(line.y, i)).toBeCloseTo(mean(e.values), 12));
  });
});

describe('seriesLines: runs of a group with few and many points', () => {
  const group = (ids: string[]): LineGroup => ({ key: 'g', label: 'g', color: 0, runIds: ids });

  it('reads a run with few points in range in the buckets of a downsampled one', () => {
    const dense = pointsOf(0, 999, (s) => Math.cos(s / 40));
    const sparse = pointsOf(0, 999, (s) => Math.sin(s / 70), 50);
    const ids = [dense, sparse].map((pts) => writeRun(store, { series: { 'train/loss': pts } }));
    const result = seriesLines(contextOf(store), [group(ids)], 'train/loss', options({ widthPx: 100 }));
    const line = at(result.lines, 0);
    const expected = expectedBuckets([dense, sparse], 0, 999, 100);
    expect(line.steps).toEqual(expected.map((e) => e.step));
    expected.forEach((e, i) => expect(at(line.y, i)).toBeCloseTo(mean(e.values), 12));
    // The sparse run's points share buckets with the dense one's instead of standing alone.
    expect(expected.filter((e) => e.values.length === 2).length).toBeGreaterThanOrEqual(19);
    expect(line.steps.length).toBeLessThanOrEqual(100 + 1);
    expect(result.sampling.stored).toBe(1020);
  });

  it('keeps the line in step order where one run starts in a bucket another ends in', () => {
    // Bucket 480..511 (width 32 for 0..1500 at 50 px): the first run ends at 499, the second starts
    // at 505 and has its next point in a later bucket.
    const first = pointsOf(0, 499, (s) => s);
    const second = [[505, -1] as [number, number]].concat(pointsOf(600, 1500, (s) => -s));
    const ids = [first, second].map((pts) => writeRun(store, { series: { 'train/loss': pts } }));
    const line = at(
      seriesLines(contextOf(store), [group(ids)], 'train/loss', options({ widthPx: 50 })).lines,
      0,
    );
    const expected = expectedBuckets([first, second], 0, 1500, 50);
    expect(line.steps).toEqual(expected.map((e) => e.step));
    expect(line.steps).toContain(499);
    expect(line.steps).toContain(505);
    line.steps.slice(1).forEach((s, i) => expect(s).toBeGreaterThan(at(line.steps, i)));
  });
});
