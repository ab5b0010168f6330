/**
 * Buffers a run's points and writes them in batches: when `maxPoints` are pending, or `maxDelayMs`
 * after the first pending point, whichever comes first. The engine reports a few points per step at
 * hundreds of steps per second; one transaction per batch instead of per point is what keeps the
 * write cost negligible (see series.ts), while the delay bound keeps other readers of the file
 * (a chart in another process) at most that far behind.
 *
 * A timed flush that fails keeps its points and hands the error to the next add/flush/close, which
 * throws it, so failures surface in the caller's code path rather than in a timer.
 */
import type { StoredPoint } from './series';

export interface PointWriterOptions {
  /** Flush when this many points are pending (default 1000). */
  maxPoints?: number;
  /** Flush at most this long after a point was added (default 1000 ms). */
  maxDelayMs?: number;
}

/** Writes a batch in one transaction, with the run's last step when known. */
export type BatchSink = (points: StoredPoint[], lastStep: number | undefined) => void;

export class PointWriter {
  private readonly maxPoints: number;
  private readonly maxDelayMs: number;
  private buffer: StoredPoint[] = [];
  private lastStep: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;

  constructor(
    private readonly sink: BatchSink,
    options: PointWriterOptions = {},
    private readonly onClose: () => void = () => {},
  ) {
    this.maxPoints = options.maxPoints ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    if (!Number.isSafeInteger(this.maxPoints) || this.maxPoints < 1) {
      throw new RangeError(`maxPoints must be a positive integer, got ${this.maxPoints}`);
    }
    if (!(this.maxDelayMs >= 0)) throw new RangeError(`maxDelayMs must be >= 0, got ${this.maxDelayMs}`);
  }

  /** Points not yet written. */
  get pending(): number {
    return this.buffer.length;
  }

  add(point: StoredPoint): void {
    this.addMany([point]);
  }

  addMany(points: readonly StoredPoint[]): void {
    this.check();
    for (const p of points) this.buffer.push(p);
    if (this.buffer.length >= this.maxPoints) this.flush();
    else if (this.buffer.length > 0) this.schedule();
  }

  /** Records the run's last step; written with the next batch. */
  setLastStep(step: number): void {
    this.check();
    this.lastStep = step;
    this.schedule();
  }

  /** Writes everything pending now. */
  flush(): void {
    this.rethrow();
    this.write();
  }

  /** Flushes and stops; later adds throw. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.cancelTimer();
      this.onClose();
    }
  }

  private write(): void {
    this.cancelTimer();
    if (this.buffer.length === 0 && this.lastStep === undefined) return;
    const batch = this.buffer;
    const lastStep = this.lastStep;
    this.sink(batch, lastStep);
    this.buffer = [];
    if (this.lastStep === lastStep) this.lastStep = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.write();
      } catch (e) {
        this.failure = e;
      }
    }, this.maxDelayMs);
    // A pending flush must not keep the process alive; close() writes what is left.
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    if (this.closed) throw new Error('PointWriter is closed');
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure === undefined) return;
    const e = this.failure;
    this.failure = undefined;
    throw e;
  }
}
