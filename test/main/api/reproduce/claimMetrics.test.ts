import { describe, expect, it } from 'vitest';
import {
  absoluteChanges,
  coefficientOfVariation,
  finalValue,
  firstStepReaching,
  histogramShape,
  mean,
  median,
} from '../../../../src/main/api/reproduce/claimMetrics';

describe('claim statistics (hand-computed)', () => {
  it('mean, median and the coefficient of variation', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
    // mean 15, population sd 5
    expect(coefficientOfVariation([10, 20, 10, 20])).toBeCloseTo(1 / 3, 12);
    expect(coefficientOfVariation([0, 0])).toBeNaN();
  });

  it('the final value is the mean of the last points', () => {
    expect(finalValue([9, 1, 2, 3], 3)).toBe(2);
    expect(finalValue([4, 6], 5)).toBe(5);
    expect(finalValue([], 5)).toBeNaN();
  });

  it('the first step reaching a target, and the changes between logged values', () => {
    expect(firstStepReaching([10, 20, 30], [0.1, 0.5, 0.9], 0.5)).toBe(20);
    expect(firstStepReaching([10, 20], [0.1, 0.2], 0.5)).toBeUndefined();
    expect(absoluteChanges([0, 0.5, 0, 0.5])).toEqual([0.5, 0.5, 0.5]);
  });

  it('the shape of a histogram from its bin midpoints', () => {
    // midpoints 0.5, 1.5, 2.5 with counts 8, 1, 1: mean 0.8, m2 0.41, m3 0.504
    const skewed = histogramShape([0, 1, 2, 3], [8, 1, 1]);
    expect(skewed.skewness).toBeCloseTo(0.504 / 0.41 ** 1.5, 12);
    // counts 1, 4, 1: +-1 around the mean with probability 1/6 each, so m4 / m2^2 = (1/3) / (1/9) = 3
    const mesokurtic = histogramShape([0, 1, 2, 3], [1, 4, 1]);
    expect(mesokurtic.skewness).toBeCloseTo(0, 12);
    expect(mesokurtic.excessKurtosis).toBeCloseTo(0, 12);
    // counts 1, 2, 1: m2 = m4 = 1/2, so m4 / m2^2 = 2
    expect(histogramShape([0, 1, 2, 3], [1, 2, 1]).excessKurtosis).toBeCloseTo(-1, 12);
    expect(histogramShape([0, 1], [0]).skewness).toBeNaN();
  });
});
