import { describe, expect, it } from 'vitest';
import { DebiasedEma, debiasedEma, debiasedEmaValues } from '../../src/shared/ema';
import { at } from '../helpers/defined';

describe('debiased EMA', () => {
  it('starts at the first value and keeps a constant series constant', () => {
    const out = debiasedEma(
      Array.from({ length: 50 }, (_, i) => ({ step: i, value: 3.7 })),
      0.9,
    );
    for (const p of out) expect(p.value).toBeCloseTo(3.7, 12);
  });

  it('matches the debiased formula', () => {
    const xs = [1, 2, 3, 4];
    const a = 0.6;
    const ema = new DebiasedEma(a);
    let m = 0;
    xs.forEach((x, k) => {
      m = a * m + (1 - a) * x;
      const expected = m / (1 - a ** (k + 1));
      expect(ema.push(x)).toBeCloseTo(expected, 12);
    });
  });

  it('does not let NaN gaps contaminate the state', () => {
    const withGap = debiasedEma(
      [1, NaN, Infinity, 2, 3].map((value, step) => ({ step, value })),
      0.5,
    );
    const without = debiasedEma(
      [1, 2, 3].map((value, step) => ({ step, value })),
      0.5,
    );
    expect(Number.isNaN(withGap[1]?.value)).toBe(true);
    expect(Number.isNaN(withGap[2]?.value)).toBe(true);
    expect(withGap[3]?.value).toBeCloseTo(at(without, 1).value, 12);
    expect(withGap[4]?.value).toBeCloseTo(at(without, 2).value, 12);
  });

  it('with alpha 0 is the raw series, and refuses alpha outside [0, 1)', () => {
    expect(
      debiasedEma(
        [
          { step: 0, value: 4 },
          { step: 1, value: 9 },
        ],
        0,
      ).map((p) => p.value),
    ).toEqual([4, 9]);
    expect(() => new DebiasedEma(1)).toThrow(RangeError);
    expect(() => new DebiasedEma(-0.1)).toThrow(RangeError);
  });

  it('gives the same values over a typed array as over points', () => {
    const values = [5, 1, NaN, 4, -2, 8];
    const typed = debiasedEmaValues(Float64Array.from(values), 0.7);
    const points = debiasedEma(
      values.map((value, step) => ({ step, value })),
      0.7,
    );
    expect(Array.from(typed)).toEqual(points.map((p) => p.value));
  });
});
