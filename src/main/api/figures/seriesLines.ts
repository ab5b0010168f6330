/**
 * The lines of one series for a figure panel: one per group of runs (a run, or several runs such as
 * seeds), read with the store's level-of-detail bucket reads (store/buckets.ts), about one bucket per
 * pixel column, whatever the series' length.
 *
 * Reading. A group's runs are read over one step range (from the earliest to the latest step any of
 * them has in the shown x range) with the store's block-aligned bucket reads (store/blockBuckets.ts:
 * one to three stored rows per bucket), at most one bucket per pixel column: each run's first point
 * in range alone, then buckets of one width whose boundaries are multiples of it. So the runs'
 * buckets line up whatever steps each run has, and are combined bucket by bucket, keyed by the last
 * step a bucket can hold, a first point by its own step (groupStats.ts: the mean over the runs
 * present, a band over them). When no run has more points in range than the width, every point is
 * its own bucket, keyed by its step. The line passes through each bucket's last value, at its step.
 *
 * Smoothing (alpha > 0): the debiased EMA over every stored point from the series' first step
 * (emaCache.ts), sampled at the drawn steps; the unsmoothed line comes too, as role 'raw'.
 *
 * Sampling: `stored` counts the points in the ranges read, `drawn` the stored points the lines pass
 * through (a group's point once per run present in its bucket; a raw line under a smoothed one is the
 * same points), so drawn < stored exactly when the view is downsampled.
 */
import type { SeriesStats } from '../../../shared/api';
import type { BandKind, PlotLine, XAxis } from '../../../shared/plots';
import type { RunRecord } from '../../../shared/runTypes';
import type { BlockBuckets, StepRange } from '../../store';
import { requireRuns, type FigureContext } from './compareRuns';
import { smoothedSeries } from './emaCache';
import { groupLine, type RunPoints } from './groupStats';
import { runAxis, X_LABELS, type RunAxis } from './stepAxis';

export interface LineGroup {
  key: string;
  label: string;
  color: number;
  runIds: string[];
}

export interface SeriesLinesOptions {
  x: XAxis;
  /** In x units; default the whole series. */
  range?: [number, number];
  /** Buckets ~ one per pixel column. */
  widthPx: number;
  /** A group's band over its runs. */
  band: BandKind;
  /** Debiased EMA alpha, 0 = off; computed on full-resolution points. */
  smoothing: number;
}

export interface SeriesLinesResult {
  lines: PlotLine[];
  notes: string[];
  sampling: { stored: number; drawn: number };
  xLabel: string;
}

/** A run of a group that has the series, and the steps of it in the shown range. */
interface Member {
  run: RunRecord;
  stats: SeriesStats;
  axis: RunAxis;
  range: StepRange | undefined;
}

/** A member's drawn points. */
interface MemberPoints extends RunPoints {
  member: Member;
  raw: Float64Array;
}

export function seriesLines(
  ctx: FigureContext,
  groups: readonly LineGroup[],
  series: string,
  options: SeriesLinesOptions,
): SeriesLinesResult {
  const notes = new Set<string>();
  const lacking: string[] = [];
  const lines: PlotLine[] = [];
  const sampling = { stored: 0, drawn: 0 };
  const width = Math.max(1, Math.round(options.widthPx));
  const smoothing = options.smoothing;
  let banded = false;

  for (const group of groups) {
    const members: Member[] = [];
    for (const run of requireRuns(ctx, group.runIds)) {
      const stats = ctx.store.listSeriesStats(run.id).find((s) => s.name === series);
      if (!stats) {
        lacking.push(run.id);
        continue;
      }
      const axis = runAxis(ctx.store, run, stats, options.x);
      if ('missing' in axis) {
        notes.add(axis.missing);
        continue;
      }
      if (axis.note) notes.add(axis.note);
      members.push({ run, stats, axis, range: axis.stepRange(options.range) });
    }
    if (members.length === 0) continue;

    const read = readGroup(ctx, series, members, width);
    sampling.stored += read.stored;
    for (const p of read.points) sampling.drawn += p.steps.length;
    const isGroup = group.runIds.length > 1;
    const base = {
      color: group.color,
      runIds: members.map((m) => m.run.id),
    };
    const label = isGroup ? `${group.label} (n=${members.length})` : group.label;
    const smoothed = (p: MemberPoints): Float64Array =>
      smoothedSeries(ctx.store, p.member.run.id, p.member.stats, smoothing).at(p.steps);

    let line: PlotLine;
    if (isGroup) {
      banded = true;
      const valued = read.points.map((p) => ({ ...p, values: smoothing > 0 ? smoothed(p) : p.raw }));
      const g = groupLine(valued, options.band);
      const x = options.x === 'time' ? g.x : stepX(read.points, g.steps);
      line = {
        ...base,
        key: group.key,
        label,
        role: 'line',
        steps: g.steps,
        x,
        y: g.y,
        band: { lo: g.lo, hi: g.hi },
      };
      if (smoothing > 0) {
        const raw = groupLine(read.points, options.band);
        lines.push({
          ...base,
          key: `${group.key}/raw`,
          label,
          role: 'raw',
          steps: raw.steps,
          x,
          y: raw.y,
        });
      }
    } else {
      const p = read.points[0];
      const steps = p ? [...p.steps] : [];
      const x = p ? Array.from(p.x) : [];
      if (smoothing > 0 && p) {
        lines.push({ ...base, key: `${group.key}/raw`, label, role: 'raw', steps, x, y: Array.from(p.raw) });
      }
      const y = p ? Array.from(smoothing > 0 ? smoothed(p) : p.raw) : [];
      line = { ...base, key: group.key, label, role: 'line', steps, x, y };
    }
    const end = divergenceEnd(line, members, read.toStep);
    if (end) line.end = end;
    else if (isGroup) {
      for (const m of members) {
        if (m.run.status === 'diverged') notes.add(`${group.label}: run ${m.run.id} ${divergedText(m)}`);
      }
    }
    lines.push(line);
  }

  const out = [...notes];
  if (lacking.length > 0)
    out.unshift(`no ${series} in run${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}`);
  if (banded)
    out.push(
      options.band === 'std'
        ? "bands: mean -+ one std over a group's runs"
        : "bands: min to max over a group's runs",
    );
  if (smoothing > 0) out.push(`smoothing: debiased EMA, alpha ${smoothing}`);
  return { lines, notes: out, sampling, xLabel: X_LABELS[options.x] };
}

/**
 * Reads the members over the group's step range [from, to] in block-aligned buckets (see the file
 * comment). `toStep` is undefined when no member has a point in the range.
 */
function readGroup(
  ctx: FigureContext,
  series: string,
  members: readonly Member[],
  width: number,
): { points: MemberPoints[]; stored: number; toStep: number | undefined } {
  const ranged = members.filter((m) => m.range !== undefined);
  if (ranged.length === 0) return { points: [], stored: 0, toStep: undefined };
  const from = Math.min(...ranged.map((m) => m.range?.fromStep ?? Number.POSITIVE_INFINITY));
  const to = Math.max(...ranged.map((m) => m.range?.toStep ?? Number.NEGATIVE_INFINITY));
  const read = (m: Member, perPointUpTo?: number): BlockBuckets =>
    ctx.store.readBlockBuckets(
      m.run.id,
      series,
      Math.max(3, width),
      { fromStep: from, toStep: to },
      perPointUpTo === undefined ? {} : { perPointUpTo },
    );
  let reads = ranged.map((m) => read(m));
  // One kind of bucket per group: when any run is downsampled, a run with few points in range is read
  // in the same buckets (point by point it would alternate with the others instead of averaging).
  if (reads.some((r) => !r.perPoint)) {
    reads = reads.map((r, i) => (r.perPoint && r.points > 0 ? read(ranged[i] as Member, 0) : r));
  }
  const points: MemberPoints[] = [];
  let stored = 0;
  ranged.forEach((m, i) => {
    const r = reads[i] as BlockBuckets;
    if (r.points === 0) return;
    stored += r.points;
    const { buckets } = r;
    const steps = buckets.map((b) => b.lastStep);
    const raw = Float64Array.from(buckets, (b) => b.last);
    points.push({
      member: m,
      bucket: r.perPoint
        ? steps
        : buckets.map((b, k) => (k === 0 ? b.stepFrom : blockEnd(b.stepFrom, r.width))),
      steps,
      x: m.axis.xAt(steps),
      values: raw,
      raw,
    });
  });
  return { points, stored, toStep: to };
}

/** The last step of the width-w bucket holding `step` (buckets start at multiples of w). */
function blockEnd(step: number, w: number): number {
  return Math.floor(step / w) * w + w - 1;
}

/**
 * x of a group's steps where x is a function of the step (step, epoch): the mean over the runs (one
 * value for runs of equal batch and training set sizes), so the line's x is its steps' own.
 */
function stepX(points: readonly MemberPoints[], steps: readonly number[]): number[] {
  const own = points.map((p) => p.member.axis.xAt(steps));
  return steps.map((_, i) => {
    const xs = own.map((x) => x[i] as number);
    const first = xs[0] as number;
    // Equal x (the usual case) is kept exactly as it is, free of the rounding of a mean.
    return xs.every((v) => v === first) ? first : xs.reduce((a, b) => a + b, 0) / xs.length;
  });
}

function divergedAt(m: Member): number {
  return m.run.divergedAtStep ?? m.stats.lastStep;
}

function divergedText(m: Member): string {
  return `diverged @ step ${divergedAt(m)}`;
}

/**
 * Where a line of diverged runs ends (every run of it diverged, and the read reaches where): at its
 * last finite point, saying the step of the divergence (a group's: its last run's).
 */
function divergenceEnd(
  line: PlotLine,
  members: readonly Member[],
  toStep: number | undefined,
): PlotLine['end'] {
  if (toStep === undefined || members.length === 0) return undefined;
  if (!members.every((m) => m.run.status === 'diverged')) return undefined;
  const step = Math.max(...members.map(divergedAt));
  const reaches = members.every((m) => toStep >= Math.min(divergedAt(m), m.stats.lastStep));
  if (!reaches) return undefined;
  for (let i = line.y.length - 1; i >= 0; i--) {
    const x = line.x[i] as number;
    const y = line.y[i] as number;
    if (Number.isFinite(x) && Number.isFinite(y)) return { x, y, step, text: `diverged @ step ${step}` };
  }
  return undefined;
}
