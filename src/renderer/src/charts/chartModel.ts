/**
 * What one live chart holds, apart from ECharts: its lines (one stored series each, drawn as a line
 * through the buckets' last values over their min/max envelope) and its ranges (a band between two
 * series, e.g. the landscape's loss_min and loss_max), each a LiveSeries of history plus live points;
 * and, while the user is zoomed in, a finer read of the zoomed step range that replaces the overview
 * there. `draw` turns it into what the chart shows, with the counts its badge states.
 */
import type { SeriesBucket } from '../../../shared/runTypes';
import {
  drawBuckets,
  drawRange,
  type BandSegment,
  type ChartPoint,
  type SeriesDrawing,
} from './bucketSeries';
import { LiveSeries, type SeriesHistory } from './liveSeries';
import type { SeriesRef } from './seriesCatalog';

export interface RangeSpec {
  /** Stable id (the ECharts series id). */
  id: string;
  label: string;
  lo: string;
  hi: string;
}

export interface StepWindow {
  from: number;
  to: number;
}

export interface LineDrawing {
  ref: SeriesRef;
  drawing: SeriesDrawing;
}

export interface RangeDrawingOut {
  spec: RangeSpec;
  band: BandSegment[];
}

export interface ChartDrawing {
  lines: LineDrawing[];
  ranges: RangeDrawingOut[];
  /** Points drawn and points stored (in the zoomed range while zoomed). */
  drawn: number;
  total: number;
  hiddenNonPositive: number;
  /** The steps every series spans (the x axis extent). */
  firstStep: number | null;
  lastStep: number | null;
}

interface Held {
  full: LiveSeries;
  zoom: LiveSeries | null;
}

export class ChartModel {
  private readonly lines: SeriesRef[] = [];
  private readonly ranges: RangeSpec[] = [];
  private readonly series = new Map<string, Held>();
  private window: StepWindow | null = null;
  private stamps: number[] = [];
  private changed = new Set<string>();
  private everything = true;

  constructor(private maxBuckets: number) {}

  /** Adds a line; false if the chart has it already. */
  addLine(ref: SeriesRef): boolean {
    if (this.lines.some((l) => l.name === ref.name)) return false;
    // Legend order: by `order` (a layer number), then by name; series arrive in any order.
    const key = (r: SeriesRef): number => r.order ?? Number.MAX_SAFE_INTEGER;
    const at = this.lines.findIndex((l) => key(l) > key(ref) || (key(l) === key(ref) && l.name > ref.name));
    this.lines.splice(at < 0 ? this.lines.length : at, 0, ref);
    this.hold(ref.name);
    this.everything = true;
    return true;
  }

  addRange(spec: RangeSpec): boolean {
    if (this.ranges.some((r) => r.id === spec.id)) return false;
    this.ranges.push(spec);
    this.hold(spec.lo);
    this.hold(spec.hi);
    this.everything = true;
    return true;
  }

  /** Every stored series the chart reads. */
  names(): string[] {
    return [...this.series.keys()];
  }

  /** Series still waiting for their first read. */
  unloaded(): string[] {
    return [...this.series].filter(([, h]) => !h.full.isLoaded).map(([n]) => n);
  }

  has(name: string): boolean {
    return this.series.has(name);
  }

  setHistory(name: string, history: SeriesHistory): void {
    this.series.get(name)?.full.setHistory(history);
    this.everything = true;
  }

  /** A fresh read is coming (a resumed run replays steps): live points wait for it. */
  resetHistory(): void {
    for (const h of this.series.values()) {
      h.full.reset();
      h.zoom = null;
    }
    this.window = null;
    this.everything = true;
  }

  /** A live point; `emittedAt` (ms since the epoch) is kept for the latency benchmark. */
  append(name: string, step: number, value: number, emittedAt?: number): boolean {
    const held = this.series.get(name);
    if (held === undefined) return false;
    const added = held.full.append(step, value);
    if (this.window !== null && held.zoom !== null && step >= this.window.from && step <= this.window.to) {
      held.zoom.append(step, value);
    }
    if (added) {
      if (emittedAt !== undefined) this.stamps.push(emittedAt);
      if (this.lines.some((l) => l.name === name)) this.changed.add(name);
      for (const r of this.ranges) if (r.lo === name || r.hi === name) this.changed.add(r.id);
    }
    return added;
  }

  /** Emission times of the points added since the last call. */
  takeStamps(): number[] {
    const out = this.stamps;
    this.stamps = [];
    return out;
  }

  setMaxBuckets(maxBuckets: number): void {
    this.maxBuckets = maxBuckets;
    for (const h of this.series.values()) h.full.setMaxBuckets(maxBuckets);
    this.everything = true;
  }

  /**
   * What changed since the last call: everything (a read, a new series, a zoom), or the lines (by
   * series name) and ranges (by id) that gained points.
   */
  takeChanges(): { all: boolean; ids: Set<string> } {
    const out = { all: this.everything, ids: this.changed };
    this.everything = false;
    this.changed = new Set();
    return out;
  }

  /** The next takeChanges says everything (the chart's settings or theme changed). */
  invalidate(): void {
    this.everything = true;
  }

  /** Zoomed into [from, to]: the finer reads of each series there (null to zoom out). */
  setZoom(window: StepWindow | null, histories?: ReadonlyMap<string, SeriesHistory>): void {
    this.window = window;
    this.everything = true;
    for (const [name, h] of this.series) {
      const history = histories?.get(name);
      if (window === null || history === undefined) {
        h.zoom = null;
        continue;
      }
      h.zoom = new LiveSeries(Math.max(2, this.maxBuckets * 2));
      h.zoom.setHistory(history);
    }
  }

  get zoomWindow(): StepWindow | null {
    return this.window;
  }

  draw(options: { logY?: boolean } = {}): ChartDrawing {
    let drawn = 0;
    let total = 0;
    let hiddenNonPositive = 0;
    let firstStep: number | null = null;
    let lastStep: number | null = null;
    const extend = (buckets: readonly SeriesBucket[], first: ChartPoint | null): void => {
      const a = first?.step ?? buckets[0]?.stepFrom;
      const b = buckets[buckets.length - 1]?.lastStep;
      if (a !== undefined) firstStep = firstStep === null ? a : Math.min(firstStep, a);
      if (b !== undefined) lastStep = lastStep === null ? b : Math.max(lastStep, b);
    };
    const lines = this.lines.map((ref): LineDrawing => {
      const held = this.series.get(ref.name) as Held;
      extend(held.full.view(), held.full.first);
      const { buckets, first, points, counted } = this.visible(held);
      const drawing = drawBuckets(buckets, { logY: options.logY ?? false, first });
      drawn += counted === null ? drawing.drawn : drawBuckets(counted).drawn;
      total += points;
      hiddenNonPositive += drawing.hiddenNonPositive;
      return { ref, drawing };
    });
    const ranges = this.ranges.map((spec): RangeDrawingOut => {
      const lo = this.series.get(spec.lo) as Held;
      const hi = this.series.get(spec.hi) as Held;
      extend(lo.full.view(), null);
      const vl = this.visible(lo);
      const vh = this.visible(hi);
      const r = drawRange(vl.buckets, vh.buckets, { logY: options.logY ?? false });
      drawn += vl.counted === null || vh.counted === null ? r.drawn : drawRange(vl.counted, vh.counted).drawn;
      total += vl.points + vh.points;
      hiddenNonPositive += r.hiddenNonPositive;
      return { spec, band: r.band };
    });
    return {
      lines,
      ranges,
      drawn: Math.min(drawn, total),
      total,
      hiddenNonPositive,
      firstStep,
      lastStep,
    };
  }

  private hold(name: string): void {
    if (!this.series.has(name)) this.series.set(name, { full: new LiveSeries(this.maxBuckets), zoom: null });
  }

  /**
   * The buckets shown: the overview, with the zoomed range replaced by its finer read; the counts are
   * those of the zoomed range while zoomed.
   */
  private visible(held: Held): {
    buckets: SeriesBucket[];
    first: ChartPoint | null;
    points: number;
    /** While zoomed: the buckets of the zoomed range, which the counts are about. */
    counted: readonly SeriesBucket[] | null;
  } {
    const full = held.full.view();
    if (this.window === null || held.zoom === null) {
      return { buckets: [...full], first: held.full.first, points: held.full.points, counted: null };
    }
    const { from, to } = this.window;
    const inside = held.zoom.view();
    return {
      buckets: [...full.filter((b) => b.stepTo < from), ...inside, ...full.filter((b) => b.stepFrom > to)],
      first: held.full.first !== null && held.full.first.step < from ? held.full.first : held.zoom.first,
      points: held.zoom.points,
      counted: inside,
    };
  }
}
