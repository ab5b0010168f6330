/**
 * Keeps live charts fresh without blocking input. Incoming points are only buffered (cheap); the
 * charts that changed are marked dirty here and redrawn together at most once per `intervalMs`
 * (default 250 ms, so at least 4 times a second while data flows). A round runs in animation frames
 * and spends at most `budgetMs` of each frame, continuing in the next one, so a page with a dozen
 * charts never holds the main thread for long in one go.
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
  intervalMs?: number;
  budgetMs?: number;
  clock?: FrameClock;
}

export class FlushScheduler {
  private readonly dirty = new Set<FlushTask>();
  private readonly intervalMs: number;
  private readonly budgetMs: number;
  private readonly clock: FrameClock;
  private timer: unknown = null;
  private frame: unknown = null;
  private lastRound = -Infinity;
  private scheduled = false;
  private disposed = false;
  private rounds = 0;

  constructor(options: SchedulerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 250;
    this.budgetMs = options.budgetMs ?? 8;
    this.clock = options.clock ?? browserClock();
  }

  /** `task` has new data: it is flushed in the next round (within intervalMs plus a frame). */
  markDirty(task: FlushTask): void {
    if (this.disposed) return;
    this.dirty.add(task);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = Math.max(0, this.lastRound + this.intervalMs - this.clock.now());
    // Handles are kept only to cancel; `scheduled` says whether a round is coming (a clock may run
    // callbacks before it returns their handle).
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.lastRound = this.clock.now();
      this.rounds++;
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
    if (this.dirty.size === 0 || this.disposed) {
      this.scheduled = false;
      return;
    }
    // Out of budget for this frame: the rest go in the next one (a new mark waits for them).
    this.frame = this.clock.requestFrame(() => this.slice());
  }
}
