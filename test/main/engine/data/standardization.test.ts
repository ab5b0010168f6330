import { describe, expect, it } from 'vitest';
import { readCifar10 } from '../../../../src/main/engine/data/cifar10Reader';
import {
  computeChannelStats,
  standardizationTable,
  standardizeImages,
} from '../../../../src/main/engine/data/standardization';
import { REAL_CIFAR10_DIR } from './cifar10Fixtures';

/** Per-channel mean and population std of NHWC values by direct two-pass summation. */
function directStats(values: ArrayLike<number>, scale: number): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    let n = 0;
    for (let i = c; i < values.length; i += 3) {
      sum += (values[i] ?? NaN) * scale;
      n++;
    }
    const mu = sum / n;
    let sq = 0;
    for (let i = c; i < values.length; i += 3) sq += ((values[i] ?? NaN) * scale - mu) ** 2;
    mean.push(mu);
    std.push(Math.sqrt(sq / n));
  }
  return { mean, std };
}

describe('standardization', () => {
  const data = readCifar10(REAL_CIFAR10_DIR);
  const stats = computeChannelStats(data.train.images);

  it('computes the training-set per-channel mean and std of [0, 1] pixels', () => {
    const direct = directStats(data.train.images, 1 / 255);
    for (let c = 0; c < 3; c++) {
      expect(stats.mean[c]).toBeCloseTo(direct.mean[c] ?? NaN, 10);
      expect(stats.std[c]).toBeCloseTo(direct.std[c] ?? NaN, 10);
    }
    // CIFAR-10's well-known statistics: mean about (0.49, 0.48, 0.45), std about (0.25, 0.24, 0.26).
    expect(stats.mean[0]).toBeGreaterThan(0.45);
    expect(stats.mean[0]).toBeLessThan(0.53);
    expect(stats.std[2]).toBeGreaterThan(0.22);
    expect(stats.std[2]).toBeLessThan(0.3);
  });

  it('gives mean 0 and std 1 per channel on the training set, and close to that on the test set', () => {
    const subset = readCifar10(REAL_CIFAR10_DIR, { trainLimit: 2000, testLimit: 2000 });
    const subsetStats = computeChannelStats(subset.train.images);
    const train = directStats(standardizeImages(subset.train.images, subsetStats), 1);
    const test = directStats(standardizeImages(subset.test.images, subsetStats), 1);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(train.mean[c] ?? NaN)).toBeLessThan(1e-5);
      expect(train.std[c]).toBeCloseTo(1, 5);
      expect(Math.abs(test.mean[c] ?? NaN)).toBeLessThan(0.05);
      expect(Math.abs((test.std[c] ?? NaN) - 1)).toBeLessThan(0.05);
    }
  });

  it('maps every byte v of channel c to (v / 255 - mu_c) / sigma_c', () => {
    const table = standardizationTable({ mean: [0.5, 0.25, 0], std: [0.5, 2, 1] });
    expect(table[0]).toBeCloseTo(-1, 6);
    expect(table[255]).toBeCloseTo(1, 6);
    expect(table[256 + 51]).toBeCloseTo((0.2 - 0.25) / 2, 6);
    expect(table[512 + 255]).toBeCloseTo(1, 6);
  });

  it('leaves a constant channel unscaled instead of dividing by zero', () => {
    const s = computeChannelStats(new Uint8Array([10, 0, 255, 10, 255, 0]));
    expect(s.std[0]).toBe(1);
    expect(s.mean[0]).toBeCloseTo(10 / 255, 12);
    expect(s.mean[1]).toBeCloseTo(0.5, 12);
    expect(s.std[1]).toBeCloseTo(0.5, 12);
  });
});
