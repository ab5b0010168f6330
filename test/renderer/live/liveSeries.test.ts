import { describe, expect, it } from 'vitest';
import { bucketize } from '../../../src/renderer/src/charts/bucketize';
import { LiveSeries } from '../../../src/renderer/src/charts/liveSeries';
import { at } from '../../helpers/defined';

const ramp = (from: number, to: number, every = 1) =>
  Array.from({ length: Math.floor((to - from) / every) + 1 }, (_, i) => ({
    step: from + i * every,
    value: from + i * every,
  }));

describe('LiveSeries', () => {
  it('holds live points until the history comes, then keeps only those after it', () => {
    const s = new LiveSeries(100);
    expect(s.append(5, 5)).toBe(false);
    expect(s.append(11, 11)).toBe(false);
    s.setHistory({ buckets: bucketize(ramp(1, 10), 100), points: 10 });
    expect(s.points).toBe(11);
    expect(s.lastStep).toBe(11);
    expect(s.view().map((b) => b.lastStep)).toEqual([...ramp(1, 11).map((p) => p.step)]);
  });

  it('drops a live point already in the history', () => {
    const s = new LiveSeries(100);
    s.setHistory({ buckets: bucketize(ramp(1, 10), 100), points: 10 });
    expect(s.append(10, 10)).toBe(false);
    expect(s.append(12, 12)).toBe(true);
    expect(s.points).toBe(11);
  });

  it('stays within its bucket budget, merging pairs, extremes and first/last kept', () => {
    const s = new LiveSeries(64);
    s.setHistory({ buckets: [], points: 0 });
    for (let k = 1; k <= 10_000; k++) s.append(k, k === 777 ? -50 : k === 9000 ? 1e6 : 1);
    const v = s.view();
    expect(v.length).toBeLessThanOrEqual(64);
    expect(v.length).toBeGreaterThan(16);
    expect(s.points).toBe(10_000);
    expect(Math.min(...v.map((b) => b.min ?? Infinity))).toBe(-50);
    expect(Math.max(...v.map((b) => b.max ?? -Infinity))).toBe(1e6);
    expect(v[0]?.stepFrom).toBe(1);
    expect(v[v.length - 1]?.lastStep).toBe(10_000);
    expect(s.first).toEqual({ step: 1, value: 1 });
    // Buckets stay ordered and disjoint.
    for (let i = 1; i < v.length; i++) expect(at(v, i).stepFrom).toBeGreaterThan(at(v, i - 1).stepTo);
  });

  it('appends onto the history grid: points join the last bucket while in its cell', () => {
    const s = new LiveSeries(10);
    // 100 steps in 10 buckets: 10 steps per bucket.
    s.setHistory({ buckets: bucketize(ramp(1, 100), 10), points: 100 });
    expect(s.view()).toHaveLength(10);
    s.append(101, 0);
    s.append(105, 500);
    s.append(110, 3);
    // 101..110 is one new cell, and the budget merged pairs (11 buckets > 10).
    const v = s.view();
    expect(v.length).toBeLessThanOrEqual(10);
    const last = at(v, v.length - 1);
    expect(last.lastStep).toBe(110);
    expect(last.last).toBe(3);
    expect(last.max).toBe(500);
    expect(s.points).toBe(103);
  });

  it('forgets everything on reset and holds points until the next read', () => {
    const s = new LiveSeries(10);
    s.setHistory({ buckets: bucketize(ramp(1, 5), 10), points: 5 });
    s.reset();
    expect(s.isLoaded).toBe(false);
    s.append(3, 30);
    s.setHistory({ buckets: bucketize(ramp(1, 2), 10), points: 2 });
    expect(s.view().map((b) => [b.lastStep, b.last])).toEqual([
      [1, 1],
      [2, 2],
      [3, 30],
    ]);
  });

  it('counts changes so a chart redraws only what moved', () => {
    const s = new LiveSeries(10);
    const v0 = s.changeCount;
    s.setHistory({ buckets: [], points: 0 });
    s.append(1, 1);
    expect(s.changeCount).toBeGreaterThan(v0);
    const v1 = s.changeCount;
    s.append(1, 1);
    expect(s.changeCount).toBe(v1);
  });
});
