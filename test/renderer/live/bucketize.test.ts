import { describe, expect, it } from 'vitest';
import { bucketize, mergeBuckets, pointBucket } from '../../../src/renderer/src/charts/bucketize';

describe('bucketize', () => {
  it('splits the range into equal-width buckets as the store does', () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ step: i + 1, value: i }));
    const b = bucketize(points, 3);
    // n = 10, B = 3: [1..4], [5..7], [8..10]
    expect(b.map((x) => [x.stepFrom, x.stepTo])).toEqual([
      [1, 4],
      [5, 7],
      [8, 10],
    ]);
    expect(b[0]).toMatchObject({ min: 0, minStep: 1, max: 3, maxStep: 4, last: 3, lastStep: 4 });
  });

  it('keeps min and max over finite values and the last value as it is', () => {
    const b = bucketize(
      [
        { step: 1, value: 2 },
        { step: 2, value: NaN },
        { step: 3, value: -1 },
        { step: 4, value: Infinity },
      ],
      1,
    );
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ min: -1, minStep: 3, max: 2, maxStep: 1, lastStep: 4, last: Infinity });
  });

  it('gives a bucket with no finite value null min and max', () => {
    const [b] = bucketize([{ step: 5, value: NaN }], 4);
    expect(b).toMatchObject({ min: null, max: null, minStep: null, maxStep: null, lastStep: 5 });
    expect(Number.isNaN(b?.last)).toBe(true);
  });

  it('sorts, keeps the later value of a repeated step and leaves empty buckets out', () => {
    const b = bucketize(
      [
        { step: 100, value: 1 },
        { step: 1, value: 5 },
        { step: 1, value: 7 },
      ],
      10,
    );
    expect(b.map((x) => [x.lastStep, x.last])).toEqual([
      [1, 7],
      [100, 1],
    ]);
  });

  it('limits to a step range', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ step: i + 1, value: i }));
    const b = bucketize(points, 5, 11, 20);
    expect(b[0]?.stepFrom).toBe(11);
    expect(b[b.length - 1]?.lastStep).toBe(20);
  });
});

describe('mergeBuckets', () => {
  it('joins two neighbours keeping the extremes and the later last value', () => {
    const a = pointBucket(1, 3);
    const b = pointBucket(2, 5);
    expect(mergeBuckets(a, b)).toEqual({
      stepFrom: 1,
      stepTo: 2,
      min: 3,
      minStep: 1,
      max: 5,
      maxStep: 2,
      last: 5,
      lastStep: 2,
    });
    const nan = pointBucket(3, NaN);
    expect(mergeBuckets(b, nan)).toMatchObject({ min: 5, max: 5, lastStep: 3 });
  });
});
