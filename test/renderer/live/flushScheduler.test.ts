import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushScheduler, type FrameClock } from '../../../src/renderer/src/charts/flushScheduler';
import { at } from '../../helpers/defined';

/** Frames are 16 ms timers; `work` advances the fake time the way a slow flush would. */
function fakeClock(): FrameClock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    requestFrame: (fn) => setTimeout(fn, 16),
    cancelFrame: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

describe('FlushScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('flushes a burst of changes once, in the next frame', () => {
    const s = new FlushScheduler({ intervalMs: 250, clock: fakeClock() });
    const flush = vi.fn();
    const task = { flush };
    for (let i = 0; i < 100; i++) s.markDirty(task);
    expect(flush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(16);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('throttles to one round per interval while data keeps coming, and never goes a second without one', () => {
    const s = new FlushScheduler({ intervalMs: 250, clock: fakeClock() });
    const flush = vi.fn();
    const task = { flush };
    const times: number[] = [];
    flush.mockImplementation(() => times.push(Date.now()));
    for (let t = 0; t < 2000; t += 10) {
      s.markDirty(task);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(300);
    expect(times.length).toBeGreaterThanOrEqual(7);
    expect(times.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < times.length; i++) {
      const gap = at(times, i) - at(times, i - 1);
      expect(gap).toBeGreaterThanOrEqual(250);
      expect(gap).toBeLessThan(1000);
    }
  });

  it('spreads slow flushes over frames within its budget', () => {
    const s = new FlushScheduler({ intervalMs: 250, budgetMs: 8, clock: fakeClock() });
    const frames: number[] = [];
    const tasks = Array.from({ length: 6 }, () => ({
      flush: vi.fn(() => {
        frames.push(Date.now());
        vi.setSystemTime(Date.now() + 5); // each takes 5 ms
      }),
    }));
    tasks.forEach((t) => s.markDirty(t));
    vi.advanceTimersByTime(16);
    // 5 ms + 5 ms > 8 ms budget: two per frame.
    expect(tasks.filter((t) => t.flush.mock.calls.length > 0)).toHaveLength(2);
    vi.advanceTimersByTime(16 * 3);
    expect(tasks.every((t) => t.flush.mock.calls.length === 1)).toBe(true);
  });

  it('forgets tasks and stops after dispose', () => {
    const s = new FlushScheduler({ clock: fakeClock() });
    const a = { flush: vi.fn() };
    const b = { flush: vi.fn() };
    s.markDirty(a);
    s.markDirty(b);
    s.forget(a);
    vi.advanceTimersByTime(20);
    expect(a.flush).not.toHaveBeenCalled();
    expect(b.flush).toHaveBeenCalledTimes(1);
    s.markDirty(b);
    s.dispose();
    vi.advanceTimersByTime(1000);
    expect(b.flush).toHaveBeenCalledTimes(1);
  });

  it('keeps going when one chart fails to draw', () => {
    const s = new FlushScheduler({ clock: fakeClock() });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const bad = {
      flush: () => {
        throw new Error('boom');
      },
    };
    const good = { flush: vi.fn() };
    s.markDirty(bad);
    s.markDirty(good);
    vi.advanceTimersByTime(20);
    expect(good.flush).toHaveBeenCalled();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});

describe('FlushScheduler with a clock that runs callbacks at once', () => {
  it('keeps scheduling rounds', () => {
    const clock: FrameClock = {
      now: () => 0,
      setTimeout: (fn) => {
        fn();
        return 0;
      },
      clearTimeout: () => undefined,
      requestFrame: (fn) => {
        fn();
        return 0;
      },
      cancelFrame: () => undefined,
    };
    const s = new FlushScheduler({ clock, intervalMs: 0 });
    const task = { flush: vi.fn() };
    s.markDirty(task);
    s.markDirty(task);
    s.markDirty(task);
    expect(task.flush).toHaveBeenCalledTimes(3);
  });
});

describe('FlushScheduler interval', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('spaces rounds out when redrawing is slow, within its bounds, and back when it is fast', () => {
    const s = new FlushScheduler({
      intervalMs: 100,
      maxIntervalMs: 500,
      duty: 0.25,
      budgetMs: 1000,
      clock: fakeClock(),
    });
    let cost = 60;
    const task = {
      flush: () => {
        vi.setSystemTime(Date.now() + cost);
      },
    };
    expect(s.intervalNow).toBe(100);
    for (let i = 0; i < 10; i++) {
      s.markDirty(task);
      vi.advanceTimersByTime(600);
    }
    // 60 ms of drawing per round at a 25% share: rounds 240 ms apart.
    expect(s.intervalNow).toBeGreaterThan(230);
    expect(s.intervalNow).toBeLessThanOrEqual(240);
    cost = 400;
    for (let i = 0; i < 10; i++) {
      s.markDirty(task);
      vi.advanceTimersByTime(1000);
    }
    expect(s.intervalNow).toBe(500);
    cost = 1;
    for (let i = 0; i < 20; i++) {
      s.markDirty(task);
      vi.advanceTimersByTime(600);
    }
    expect(s.intervalNow).toBe(100);
  });
});
