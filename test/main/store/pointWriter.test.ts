import { afterEach, describe, expect, it, vi } from 'vitest';
import { PointWriter } from '../../../src/main/store/pointWriter';
import type { StoredPoint } from '../../../src/main/store/series';

afterEach(() => vi.useRealTimers());

function recorder() {
  const batches: { points: StoredPoint[]; lastStep: number | undefined }[] = [];
  return {
    batches,
    sink: (points: StoredPoint[], lastStep: number | undefined) => batches.push({ points, lastStep }),
  };
}
const pt = (step: number): StoredPoint => ({ series: 's', step, value: step });

describe('PointWriter', () => {
  it('flushes every maxPoints points, in order, and the rest on close', () => {
    const { batches, sink } = recorder();
    const onClose = vi.fn();
    const w = new PointWriter(sink, { maxPoints: 3, maxDelayMs: 60_000 }, onClose);
    for (let i = 0; i < 8; i++) w.add(pt(i));
    expect(batches.map((b) => b.points.map((p) => p.step))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(w.pending).toBe(2);
    w.close();
    expect(batches.at(-1)?.points.map((p) => p.step)).toEqual([6, 7]);
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(() => w.add(pt(9))).toThrow(/closed/);
    w.close();
    expect(batches).toHaveLength(3);
  });

  it('flushes maxDelayMs after the first pending point, not after every point', () => {
    vi.useFakeTimers();
    const { batches, sink } = recorder();
    const w = new PointWriter(sink, { maxPoints: 100, maxDelayMs: 50 });
    w.add(pt(0));
    vi.advanceTimersByTime(30);
    w.add(pt(1));
    vi.advanceTimersByTime(20);
    expect(batches.map((b) => b.points.length)).toEqual([2]);
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);
    w.close();
  });

  it('writes the last step with the next batch, even without points', () => {
    vi.useFakeTimers();
    const { batches, sink } = recorder();
    const w = new PointWriter(sink, { maxPoints: 100, maxDelayMs: 50 });
    w.setLastStep(41);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([{ points: [], lastStep: 41 }]);
    w.add(pt(42));
    w.flush();
    expect(batches.at(-1)).toEqual({ points: [pt(42)], lastStep: undefined });
  });

  it('keeps the points of a failed flush and retries them', () => {
    let fail = true;
    const { batches, sink } = recorder();
    const w = new PointWriter(
      (p, s) => {
        if (fail) throw new Error('disk full');
        sink(p, s);
      },
      { maxPoints: 2 },
    );
    w.add(pt(0));
    expect(() => w.add(pt(1))).toThrow('disk full');
    expect(w.pending).toBe(2);
    fail = false;
    w.flush();
    expect(batches.map((b) => b.points.map((p) => p.step))).toEqual([[0, 1]]);
  });

  it('rejects nonsense options', () => {
    const { sink } = recorder();
    expect(() => new PointWriter(sink, { maxPoints: 0 })).toThrow(RangeError);
    expect(() => new PointWriter(sink, { maxDelayMs: -1 })).toThrow(RangeError);
  });
});
