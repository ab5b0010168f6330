/**
 * Keeps live charts fresh without blocking input. Incoming points are only buffered (cheap); the
 * charts that changed are marked dirty here and redrawn together in rounds. A round runs in
 * animation frames and spends at most `budgetMs` of each frame, continuing in the next one, so a
 * page with a dozen charts never holds the main thread for long in one go.
 *
 * Rounds start at most every `interval` ms, which adapts to what redrawing costs here: the time the
 * last rounds took divided by `duty` (the share of the main thread charts may use), kept within
 * [intervalMs, maxIntervalMs] (default 100 to 500 ms: fresh within a tenth of a second on a fast
 * machine, and still twice a second on a slow one).
 */

export interface FrameClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  requestFrame(fn: () => void): unknown;
  cancelFrame(handle: unknown): void;
}

/** The page's clock: performance.now, timers and requestAnimationFrame (timers where there is none). */
export function browserClock(): FrameClock {
  const raf = typeof requestAnimationFrame === 'function';
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    requestFrame: (fn) => (raf ? requestAnimationFrame(() => fn()) : setTimeout(fn, 16)),
    cancelFrame: (h) =>
      raf ? cancelAnimationFrame(h as number) : clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

export interface FlushTask {
  /** Redraws from what was buffered. */
  flush(): void;
}

export interface SchedulerOptions {
  /** The shortest interval between rounds, ms. */
  intervalMs?: number;
  /** The longest, however slow redrawing is, ms. */
  maxIntervalMs?: number;
  /** The share of the main thread redraws may take (0..1]. */
  duty?: number;
  budgetMs?: number;
  clock?: FrameClock;
}

export class FlushScheduler {
  private readonly dirty = new Set<FlushTask>();
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly duty: number;
  private readonly budgetMs: number;
  private interval: number;
  /** Redraw time of the round under way, and a moving average of past rounds', ms. */
  private roundWork = 0;
  private workAverage: number | null = null;
  private readonly clock: FrameClock;
  private timer: unknown = null;
  private frame: unknown = null;
  private lastRound = -Infinity;
  private scheduled = false;
  private disposed = false;
  private rounds = 0;

  constructor(options: SchedulerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxIntervalMs = Math.max(this.intervalMs, options.maxIntervalMs ?? 500);
    this.duty = options.duty ?? 0.25;
    this.budgetMs = options.budgetMs ?? 8;
    this.interval = this.intervalMs;
    this.clock = options.clock ?? browserClock();
  }

  /** `task` has new data: it is flushed in the next round (within intervalMs plus a frame). */
  markDirty(task: FlushTask): void {
    if (this.disposed) return;
    this.dirty.add(task);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = Math.max(0, this.lastRound + this.interval - this.clock.now());
    // Handles are kept only to cancel; `scheduled` says whether a round is coming (a clock may run
    // callbacks before it returns their handle).
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.lastRound = this.clock.now();
      this.rounds++;
      this.roundWork = 0;
      this.frame = this.clock.requestFrame(() => this.slice());
    }, wait);
  }

  /** A task that went away (an unmounted chart). */
  forget(task: FlushTask): void {
    this.dirty.delete(task);
  }

  /** Flushes everything dirty now (tests, and before a re-read replaces a chart's data). */
  flushAll(): void {
    for (const task of [...this.dirty]) {
      this.dirty.delete(task);
      task.flush();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.scheduled = false;
    this.dirty.clear();
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.frame !== null) this.clock.cancelFrame(this.frame);
    this.timer = null;
    this.frame = null;
  }

  /** The interval between rounds now, ms. */
  get intervalNow(): number {
    return this.interval;
  }

  /** Rounds started so far. */
  get roundCount(): number {
    return this.rounds;
  }

  get pending(): number {
    return this.dirty.size;
  }

  private slice(): void {
    this.frame = null;
    const start = this.clock.now();
    for (const task of this.dirty) {
      this.dirty.delete(task);
      try {
        task.flush();
      } catch (error) {
        console.error('chart update failed', error);
      }
      if (this.clock.now() - start >= this.budgetMs) break;
    }
    this.roundWork += this.clock.now() - start;
    if (this.dirty.size === 0 || this.disposed) {
      this.scheduled = false;
      this.adapt();
      return;
    }
    // Out of budget for this frame: the rest go in the next one (a new mark waits for them).
    this.frame = this.clock.requestFrame(() => this.slice());
  }

  /** The next interval from the cost of the rounds so far. */
  private adapt(): void {
    this.workAverage =
      this.workAverage === null ? this.roundWork : 0.7 * this.workAverage + 0.3 * this.roundWork;
    this.interval = Math.min(this.maxIntervalMs, Math.max(this.intervalMs, this.workAverage / this.duty));
  }
}
