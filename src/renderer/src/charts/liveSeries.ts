/**
 * One series of a live chart: the bucketed history read from the store (series.read at the chart's
 * pixel width) with the points that arrive afterwards merged in, at a bounded number of buckets.
 *
 * - Points that come before the history does are held and applied once it is there; a point at or
 *   before the history's last step is already in it and is dropped (events and reads overlap).
 * - New points join the last bucket while they fall in its cell of the current bucket grid (the
 *   history's steps per bucket), else open a new bucket.
 * - Past `maxBuckets` neighbouring buckets are merged in pairs (a read at half the resolution), so a
 *   chart open for a whole run draws about one bucket per pixel column, extremes kept.
 */
import type { SeriesBucket } from '../../../shared/runTypes';
import { addToBucket, mergeBuckets, pointBucket } from './bucketize';
import type { ChartPoint } from './bucketSeries';

export interface SeriesHistory {
  buckets: SeriesBucket[];
  /** Stored points the buckets summarize. */
  points: number;
  /** The series' first point, when the buckets may not show it. */
  first?: ChartPoint | null;
}

export class LiveSeries {
  private buckets: SeriesBucket[] = [];
  private early: ChartPoint[] = [];
  private loaded = false;
  private total = 0;
  private firstPoint: ChartPoint | null = null;
  /** Steps per bucket of the grid new points are bucketed on, anchored at `origin`. */
  private stepsPerBucket = 1;
  private origin = 0;
  private version = 0;

  constructor(private maxBuckets: number) {
    if (!(maxBuckets >= 2)) throw new RangeError(`maxBuckets must be >= 2, got ${maxBuckets}`);
  }

  /** Replaces everything with a fresh read; points held since are merged after it. */
  setHistory(history: SeriesHistory): void {
    this.buckets = history.buckets.map((b) => ({ ...b }));
    this.total = history.points;
    this.firstPoint = history.first ?? null;
    const first = this.buckets[0];
    const last = this.buckets[this.buckets.length - 1];
    if (first !== undefined && last !== undefined) {
      const span = last.stepTo - first.stepFrom + 1;
      this.stepsPerBucket = Math.max(1, Math.ceil(span / this.buckets.length));
      this.origin = first.stepFrom;
    } else {
      this.stepsPerBucket = 1;
      this.origin = 0;
    }
    this.loaded = true;
    const early = this.early;
    this.early = [];
    for (const p of early) this.append(p.step, p.value);
    this.compact();
    this.version++;
  }

  /** Forgets the history (a resumed run replays steps): points are held until the next read. */
  reset(): void {
    this.buckets = [];
    this.early = [];
    this.loaded = false;
    this.total = 0;
    this.firstPoint = null;
    this.version++;
  }

  /** Changes the bucket budget (the chart was resized); merges at once if now over it. */
  setMaxBuckets(maxBuckets: number): void {
    this.maxBuckets = Math.max(2, Math.floor(maxBuckets));
    if (this.compact()) this.version++;
  }

  /** Adds a live point; false when it was already in the history (or is held until the history comes). */
  append(step: number, value: number): boolean {
    if (!this.loaded) {
      this.early.push({ step, value });
      return false;
    }
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && step <= last.lastStep) return false;
    this.total++;
    if (this.buckets.length === 0) {
      this.firstPoint = { step, value };
      this.origin = step;
    }
    const cell = (s: number): number => Math.floor((s - this.origin) / this.stepsPerBucket);
    if (last !== undefined && cell(step) === cell(last.lastStep) && this.stepsPerBucket > 1) {
      addToBucket(last, step, value);
    } else {
      const b = pointBucket(step, value);
      if (this.stepsPerBucket > 1) {
        b.stepFrom = Math.max(this.origin + cell(step) * this.stepsPerBucket, (last?.stepTo ?? -1) + 1);
        b.stepTo = this.origin + (cell(step) + 1) * this.stepsPerBucket - 1;
      }
      this.buckets.push(b);
    }
    this.compact();
    this.version++;
    return true;
  }

  /** Merges neighbouring buckets in pairs until within budget; true if it merged any. */
  private compact(): boolean {
    if (this.buckets.length <= this.maxBuckets) return false;
    while (this.buckets.length > this.maxBuckets) {
      const merged: SeriesBucket[] = [];
      for (let i = 0; i < this.buckets.length; i += 2) {
        const a = this.buckets[i] as SeriesBucket;
        const b = this.buckets[i + 1];
        merged.push(b === undefined ? a : mergeBuckets(a, b));
      }
      this.buckets = merged;
      this.stepsPerBucket *= 2;
    }
    const first = this.buckets[0] as SeriesBucket;
    const last = this.buckets[this.buckets.length - 1] as SeriesBucket;
    this.origin = first.stepFrom;
    this.stepsPerBucket = Math.max(
      this.stepsPerBucket,
      Math.ceil((last.stepTo - first.stepFrom + 1) / this.buckets.length),
    );
    return true;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Stored points so far (the M of "N of M points"). */
  get points(): number {
    return this.total;
  }

  get first(): ChartPoint | null {
    return this.firstPoint;
  }

  get lastStep(): number | null {
    return this.buckets[this.buckets.length - 1]?.lastStep ?? null;
  }

  /** Increases on every change: a chart redraws only series whose version moved. */
  get changeCount(): number {
    return this.version;
  }

  view(): readonly SeriesBucket[] {
    return this.buckets;
  }
}
