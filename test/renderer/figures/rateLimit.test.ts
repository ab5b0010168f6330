import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce, throttle } from '../../../src/renderer/src/components/figures/rateLimit';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('debounce', () => {
  it('calls once, with the last arguments, after the input rests', () => {
    const fn = vi.fn();
    const d = debounce(fn, 200);
    d(1);
    vi.advanceTimersByTime(150);
    d(2);
    vi.advanceTimersByTime(150);
    expect(fn).not.toHaveBeenCalled();
    d(3);
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith(3);
  });

  it('can be cancelled or run at once', () => {
    const fn = vi.fn();
    const d = debounce(fn, 200);
    d(1);
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
    d(2);
    d.flush();
    expect(fn).toHaveBeenCalledWith(2);
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('throttle', () => {
  it('runs the first call at once and folds a burst into one trailing call', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t('a');
    expect(fn).toHaveBeenCalledWith('a');
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(10);
      t(`b${i}`);
    }
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(fn).toHaveBeenLastCalledWith('b49');
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('runs at most once per interval under a steady stream of calls', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    for (let ms = 0; ms < 10_000; ms += 50) {
      t(ms);
      vi.advanceTimersByTime(50);
    }
    // 10 s of calls: the first, then one per second.
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(9);
    expect(fn.mock.calls.length).toBeLessThanOrEqual(11);
  });

  it('drops a waiting call when cancelled', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t(1);
    t(2);
    t.cancel();
    vi.advanceTimersByTime(2000);
    expect(fn).toHaveBeenCalledTimes(1);
    t(3);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
