import { describe, expect, it } from 'vitest';
import {
  isWholeWindow,
  normalizeRange,
  rangeFromBrush,
  rangeFromPercent,
  sameRange,
} from '../../../src/renderer/src/components/figures/zoomRange';

describe('zoom windows as x ranges', () => {
  it('maps percent of a linear axis onto its extent', () => {
    expect(rangeFromPercent(25, 50, [0, 2000])).toEqual([500, 1000]);
    expect(rangeFromPercent(50, 25, [100, 200])).toEqual([125, 150]);
    expect(rangeFromPercent(-5, 120, [100, 200])).toEqual([100, 200]);
  });

  it('maps percent of a log axis in decades', () => {
    const [from, to] = rangeFromPercent(25, 75, [1, 10_000], true);
    expect(from).toBeCloseTo(10, 9);
    expect(to).toBeCloseTo(1000, 9);
  });

  it('knows an untouched window', () => {
    expect(isWholeWindow({ start: 0, end: 100 })).toBe(true);
    expect(isWholeWindow({})).toBe(true);
    expect(isWholeWindow({ start: 0, end: 99 })).toBe(false);
    expect(isWholeWindow({ startValue: 3, endValue: 9 })).toBe(false);
  });

  it('widens a step range to the whole steps it touches', () => {
    expect(normalizeRange([10.4, 99.2], 'step')).toEqual([10, 100]);
    expect(normalizeRange([99.2, -3], 'step')).toEqual([0, 100]);
    expect(normalizeRange([5.2, 5.2], 'step')).toEqual([5, 6]);
  });

  it('keeps epochs and seconds to six digits, and refuses empty or infinite ranges', () => {
    expect(normalizeRange([1.23456789, 2.5], 'epoch')).toEqual([1.23457, 2.5]);
    expect(normalizeRange([3, 3], 'time')).toBeNull();
    expect(normalizeRange([0, Number.POSITIVE_INFINITY], 'time')).toBeNull();
  });

  it('compares ranges relative to their width', () => {
    expect(sameRange([0, 1000], [0, 1000.0000001])).toBe(true);
    expect(sameRange([0, 1000], [0, 1001])).toBe(false);
    expect(sameRange(null, null)).toBe(true);
    expect(sameRange(null, [0, 1])).toBe(false);
  });

  it('reads a drag-select of x (lineX) and of a rectangle', () => {
    expect(rangeFromBrush([{ coordRange: [300, 120] }])).toEqual([120, 300]);
    expect(
      rangeFromBrush([
        {
          coordRange: [
            [5, 9],
            [0, 1],
          ],
        },
      ]),
    ).toEqual([5, 9]);
    expect(rangeFromBrush([])).toBeNull();
    expect(rangeFromBrush([{}])).toBeNull();
    expect(rangeFromBrush('nope')).toBeNull();
  });
});
