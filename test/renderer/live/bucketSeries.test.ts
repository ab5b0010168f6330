import { describe, expect, it } from 'vitest';
import type { SeriesBucket } from '../../../src/shared/runTypes';
import { bucketPoints, drawBuckets, drawRange } from '../../../src/renderer/src/charts/bucketSeries';
import { bucketize, pointBucket } from '../../../src/renderer/src/charts/bucketize';

function bucket(p: Partial<SeriesBucket> & { lastStep: number; last: number }): SeriesBucket {
  return {
    stepFrom: p.stepFrom ?? p.lastStep,
    stepTo: p.stepTo ?? p.lastStep,
    min: p.min === undefined ? p.last : p.min,
    minStep: p.minStep === undefined ? p.lastStep : p.minStep,
    max: p.max === undefined ? p.last : p.max,
    maxStep: p.maxStep === undefined ? p.lastStep : p.maxStep,
    last: p.last,
    lastStep: p.lastStep,
  };
}

describe('bucketPoints', () => {
  it('gives the distinct min, max and last points in step order', () => {
    const b = bucket({
      stepFrom: 1,
      stepTo: 10,
      lastStep: 10,
      last: 2,
      min: 1,
      minStep: 3,
      max: 9,
      maxStep: 7,
    });
    expect(bucketPoints(b)).toEqual([
      { step: 3, value: 1 },
      { step: 7, value: 9 },
      { step: 10, value: 2 },
    ]);
    expect(bucketPoints(pointBucket(4, 0.5))).toEqual([{ step: 4, value: 0.5 }]);
  });
});

describe('drawBuckets', () => {
  it('draws the line through the last values and an envelope where buckets have a spread', () => {
    const d = drawBuckets([
      bucket({ stepFrom: 1, stepTo: 10, lastStep: 10, last: 2, min: 1, minStep: 3, max: 9, maxStep: 7 }),
      bucket({ stepFrom: 11, stepTo: 20, lastStep: 20, last: 3, min: 3, minStep: 20, max: 4, maxStep: 12 }),
    ]);
    expect(d.line).toEqual([
      [10, 2],
      [20, 3],
    ]);
    expect(d.band).toEqual([
      [
        [10, 1, 9],
        [20, 3, 4],
      ],
    ]);
    expect(d.drawn).toBe(5);
    expect(d.hiddenNonPositive).toBe(0);
  });

  it('has no envelope when every bucket holds one point (nothing is downsampled)', () => {
    const d = drawBuckets(
      bucketize(
        [1, 2, 3].map((s) => ({ step: s, value: s })),
        100,
      ),
    );
    expect(d.band).toEqual([]);
    expect(d.drawn).toBe(3);
  });

  it('makes NaN and infinite last values gaps, and buckets with no finite value gaps in the band', () => {
    const d = drawBuckets([
      bucket({ stepFrom: 1, stepTo: 2, lastStep: 2, last: 1, min: 0, minStep: 1 }),
      bucket({ lastStep: 3, last: NaN, min: null, minStep: null, max: null, maxStep: null }),
      bucket({ stepFrom: 4, stepTo: 5, lastStep: 5, last: Infinity, min: 2, minStep: 4, max: 2, maxStep: 4 }),
    ]);
    expect(d.line).toEqual([
      [2, 1],
      [3, null],
      [5, null],
    ]);
    expect(d.nonFinite).toBe(2);
    // Bucket 1 alone has a spread and no drawable neighbour: a bar.
    expect(d.band).toEqual([[[2, 0, 1]]]);
  });

  it('keeps the first point of the series when no bucket shows it', () => {
    const b = bucket({
      stepFrom: 1,
      stepTo: 10,
      lastStep: 10,
      last: 2,
      min: 1,
      minStep: 3,
      max: 9,
      maxStep: 7,
    });
    const d = drawBuckets([b], { first: { step: 1, value: 5 } });
    expect(d.line[0]).toEqual([1, 5]);
    expect(d.drawn).toBe(4);
    // Already shown (the first bucket's min is the first point): not drawn twice.
    const again = drawBuckets([b], { first: { step: 3, value: 1 } });
    expect(again.line).toEqual([[10, 2]]);
  });

  it('keeps the last point: the line ends at the last bucket last step', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ step: i + 1, value: Math.sin(i) }));
    const d = drawBuckets(bucketize(points, 37));
    expect(d.line[d.line.length - 1]).toEqual([1000, Math.sin(999)]);
  });

  it('hides non-positive values on a log axis and counts them', () => {
    const d = drawBuckets(
      [
        bucket({ lastStep: 1, last: 1 }),
        bucket({ lastStep: 2, last: 0 }),
        bucket({ stepFrom: 3, stepTo: 4, lastStep: 4, last: 2, min: -1, minStep: 3 }),
      ],
      { logY: true },
    );
    expect(d.line).toEqual([
      [1, 1],
      [2, null],
      [4, 2],
    ]);
    expect(d.hiddenNonPositive).toBe(2);
    expect(d.band).toEqual([]);
  });

  it('keeps every extreme of a downsampled series in the envelope', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ step: i + 1, value: i === 4321 ? 100 : 1 }));
    const d = drawBuckets(bucketize(points, 200));
    const top = Math.max(...d.band.flat().map((v) => v[2]));
    expect(top).toBe(100);
    expect(d.line.length).toBe(200);
  });
});

describe('drawRange', () => {
  it('bands from the low series min to the high series max at matching steps', () => {
    const lo = bucketize(
      [
        { step: 1, value: 1 },
        { step: 2, value: 2 },
        { step: 3, value: 3 },
      ],
      10,
    );
    const hi = bucketize(
      [
        { step: 1, value: 4 },
        { step: 3, value: 6 },
      ],
      10,
    );
    const r = drawRange(lo, hi);
    // Step 2 has no high value: a gap, so steps 1 and 3 are single bars.
    expect(r.band).toEqual([[[1, 1, 4]], [[3, 3, 6]]]);
    expect(r.drawn).toBe(4);
  });

  it('hides bands below zero on a log axis', () => {
    const lo = [pointBucket(1, -1), pointBucket(2, 1)];
    const hi = [pointBucket(1, 2), pointBucket(2, 3)];
    const r = drawRange(lo, hi, { logY: true });
    expect(r.band).toEqual([[[2, 1, 3]]]);
    expect(r.hiddenNonPositive).toBe(1);
  });
});
