/**
 * Level-of-detail aggregates of the points, so a chart read costs about the same for a series of a
 * thousand points as for one of ten million (issue 8, "Store performance").
 *
 * Table point_lod (migration 5): per series, per level k in LOD_LEVELS and per block of 2^k steps
 * (block = floor(step / 2^k), i.e. SQLite's step >> k), one row with what a bucket needs and nothing
 * that depends on the bucket: the point count, the count and sum of the finite values (for means),
 * the smallest and largest finite value each with the first step it occurs at, and the last point.
 * Levels are a factor 4 apart: few enough rows to write (a third of a row per point), few enough per
 * read (at most 3 blocks per level on each side of a bucket).
 *
 * Exactness. A bucket [lo, hi] of buckets.ts is cut into whole blocks and loose points: the widest
 * aligned blocks that fit in the middle, then, towards each edge, blocks of each finer level and at
 * the very edge at most 3 raw points (see decompose). Min, max and last fold without loss (the first
 * step wins a tie, as in the raw scan's ORDER BY value, step), so the result is exactly the raw scan's,
 * non-finite values included: they are never a block's min or max (value IS NULL, see nonFinite.ts)
 * and the last point is kept as stored.
 *
 * Upkeep. Every write of points refreshes, in its transaction, the blocks over the steps it touched:
 * the finest level from the points, each coarser one from the level below (4 rows per block), so an
 * append of m points reads about m points and writes about m / 3 rows, whatever the series' length.
 * Truncation deletes the blocks after the cut and refreshes the one holding it; deleting a series
 * (its run) cascades.
 */
import type Database from 'better-sqlite3';
import type { SeriesBucket } from '../../shared/runTypes';
import { decodeValue } from './nonFinite';

/** log2 of each level's block width in steps, finest first; each a factor 4 above the one before. */
export const LOD_LEVELS: readonly number[] = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24];

/** An aggregate over a block, a point or a bucket; values as stored (value, nf), see nonFinite.ts. */
export interface Agg {
  n: number;
  fn: number;
  /** Sum of the finite values; NaN once +Infinity and -Infinity sums met (stored as NULL). */
  sum: number;
  minStep: number | null;
  minValue: number;
  minNf: number;
  maxStep: number | null;
  maxValue: number;
  maxNf: number;
  lastStep: number;
  lastValue: number | null;
  lastNf: number;
}

/** point_lod's columns after block, in this order, in every read and write. */
export const AGG_COLUMNS =
  'n, fn, sum, min_step, min_value, min_nf, max_step, max_value, max_nf, last_step, last_value, last_nf';
type AggRow = [
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number,
  number | null,
  number,
];
/** A point_lod row as read: block, then AGG_COLUMNS. */
export type BlockRow = [number, ...AggRow];
/** A points row as read: step, value, nf. */
export type PointRow = [number, number | null, number];

export function emptyAgg(): Agg {
  return {
    n: 0,
    fn: 0,
    sum: 0,
    minStep: null,
    minValue: 0,
    minNf: 0,
    maxStep: null,
    maxValue: 0,
    maxNf: 0,
    lastStep: Number.NEGATIVE_INFINITY,
    lastValue: null,
    lastNf: 0,
  };
}

/** Folds one stored point into `a` (any order: ties and `last` are decided by step). */
export function foldPoint(a: Agg, step: number, value: number | null, nf: number): void {
  a.n++;
  if (value !== null) {
    a.fn++;
    a.sum += value;
    if (a.minStep === null || value < a.minValue || (value === a.minValue && step < a.minStep)) {
      a.minStep = step;
      a.minValue = value;
      a.minNf = nf;
    }
    if (a.maxStep === null || value > a.maxValue || (value === a.maxValue && step < a.maxStep)) {
      a.maxStep = step;
      a.maxValue = value;
      a.maxNf = nf;
    }
  }
  if (step > a.lastStep) {
    a.lastStep = step;
    a.lastValue = value;
    a.lastNf = nf;
  }
}

/** Folds a block row (columns as AGG_COLUMNS from index `o`) into `a`, in any order. */
export function foldRow(a: Agg, r: readonly (number | null)[], o: number): void {
  a.n += r[o] as number;
  a.fn += r[o + 1] as number;
  a.sum += r[o + 2] ?? Number.NaN;
  const minStep = r[o + 3] as number | null;
  if (minStep !== null) {
    const v = r[o + 4] as number;
    if (a.minStep === null || v < a.minValue || (v === a.minValue && minStep < a.minStep)) {
      a.minStep = minStep;
      a.minValue = v;
      a.minNf = r[o + 5] as number;
    }
  }
  const maxStep = r[o + 6] as number | null;
  if (maxStep !== null) {
    const v = r[o + 7] as number;
    if (a.maxStep === null || v > a.maxValue || (v === a.maxValue && maxStep < a.maxStep)) {
      a.maxStep = maxStep;
      a.maxValue = v;
      a.maxNf = r[o + 8] as number;
    }
  }
  const lastStep = r[o + 9] as number;
  if (lastStep > a.lastStep) {
    a.lastStep = lastStep;
    a.lastValue = r[o + 10] as number | null;
    a.lastNf = r[o + 11] as number;
  }
}

/** The bucket [stepFrom, stepTo] holding the points folded into `a` (n > 0), values decoded. */
export function aggBucket(a: Agg, stepFrom: number, stepTo: number): SeriesBucket {
  return {
    stepFrom,
    stepTo,
    min: a.minStep === null ? null : decodeValue(a.minValue, a.minNf),
    minStep: a.minStep,
    max: a.maxStep === null ? null : decodeValue(a.maxValue, a.maxNf),
    maxStep: a.maxStep,
    last: decodeValue(a.lastValue, a.lastNf),
    lastStep: a.lastStep,
  };
}

function aggParams(sid: number, level: number, block: number, a: Agg): (number | null)[] {
  return [
    sid,
    level,
    block,
    a.n,
    a.fn,
    Number.isNaN(a.sum) ? null : a.sum,
    a.minStep,
    a.minStep === null ? null : a.minValue,
    a.minStep === null ? null : a.minNf,
    a.maxStep,
    a.maxStep === null ? null : a.maxValue,
    a.maxStep === null ? null : a.maxNf,
    a.lastStep,
    a.lastValue,
    a.lastNf,
  ];
}

function prepareStatements(db: Database.Database) {
  return {
    points: db
      .prepare<[number, number, number], PointRow>(
        'SELECT step, value, nf FROM points WHERE series_id = ? AND step BETWEEN ? AND ?',
      )
      .raw(),
    blocks: db
      .prepare<[number, number, number, number], BlockRow>(
        `SELECT block, ${AGG_COLUMNS} FROM point_lod WHERE series_id = ? AND level = ? AND block BETWEEN ? AND ?`,
      )
      .raw(),
    deleteBlocks: db.prepare<[number, number, number, number]>(
      'DELETE FROM point_lod WHERE series_id = ? AND level = ? AND block BETWEEN ? AND ?',
    ),
    insert: db.prepare(
      `INSERT OR REPLACE INTO point_lod (series_id, level, block, ${AGG_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    truncateRun: db.prepare<[string, number]>(
      `DELETE FROM point_lod WHERE series_id IN (SELECT id FROM series WHERE run_id = ?)
         AND block > (CAST(? AS INTEGER) >> level)`,
    ),
    runSeries: db.prepare<[string], number>('SELECT id FROM series WHERE run_id = ?').pluck(),
    allSeries: db.prepare<[], number>('SELECT id FROM series ORDER BY id').pluck(),
    nextStep: db
      .prepare<[number, number], number>(
        'SELECT step FROM points WHERE series_id = ? AND step >= ? ORDER BY step LIMIT 1',
      )
      .pluck(),
    // Pieces of many buckets in one statement: one index range per [from, to] pair of the JSON array.
    readPoints: db
      .prepare<[string, number], PointRow>(
        `SELECT p.step, p.value, p.nf FROM json_each(?) j CROSS JOIN
           points p ON p.series_id = ? AND p.step BETWEEN j.value ->> 0 AND j.value ->> 1`,
      )
      .raw(),
    readBlocks: db
      .prepare<[string, number, number], BlockRow>(
        `SELECT l.block, ${AGG_COLUMNS.split(', ')
          .map((c) => `l.${c}`)
          .join(', ')} FROM json_each(?) j CROSS JOIN
           point_lod l ON l.series_id = ? AND l.level = ?
             AND l.block BETWEEN j.value ->> 0 AND j.value ->> 1`,
      )
      .raw(),
  };
}

/** Maintains point_lod; every method runs inside the caller's write transaction. */
export class LodWriter {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Recomputes every level's blocks over steps [from, to] of series `sid` from its points. */
  refresh(sid: number, from: number, to: number): void {
    let prevWidth = 0;
    let prevLevel = 0;
    for (let i = 0; i < LOD_LEVELS.length; i++) {
      const level = LOD_LEVELS[i] as number;
      const width = 2 ** level;
      const b0 = Math.floor(from / width);
      const b1 = Math.floor(to / width);
      const blocks = new Map<number, Agg>();
      const at = (start: number): Agg => {
        const b = Math.floor(start / width);
        let a = blocks.get(b);
        if (a === undefined) blocks.set(b, (a = emptyAgg()));
        return a;
      };
      if (i === 0) {
        for (const [step, value, nf] of this.sql.points.all(sid, b0 * width, b1 * width + width - 1)) {
          foldPoint(at(step), step, value, nf);
        }
      } else {
        const c0 = Math.floor((b0 * width) / prevWidth);
        const c1 = Math.floor((b1 * width + width - 1) / prevWidth);
        for (const r of this.sql.blocks.all(sid, prevLevel, c0, c1)) foldRow(at(r[0] * prevWidth), r, 1);
      }
      this.sql.deleteBlocks.run(sid, level, b0, b1);
      for (const [b, a] of blocks) this.sql.insert.run(aggParams(sid, level, b, a));
      prevWidth = width;
      prevLevel = level;
    }
  }

  /** After a run's points past `step` were deleted: drops and refreshes the blocks they were in. */
  truncateRun(runId: string, step: number): void {
    this.sql.truncateRun.run(runId, step);
    for (const sid of this.sql.runSeries.all(runId)) this.refresh(sid, step, step);
  }

  /** Builds every series' blocks from its points (migration 5), one top-level block at a time. */
  rebuildAll(): void {
    const top = 2 ** (LOD_LEVELS[LOD_LEVELS.length - 1] as number);
    for (const sid of this.sql.allSeries.all()) {
      let step = this.sql.nextStep.get(sid, Number.MIN_SAFE_INTEGER);
      while (step !== undefined) {
        const start = Math.floor(step / top) * top;
        this.refresh(sid, start, start + top - 1);
        step = this.sql.nextStep.get(sid, start + top);
      }
    }
  }
}

/**
 * Cuts the half-open step range [a, e) into pieces read whole: raw step ranges and block ranges per
 * level, each [first, last] pushed onto `raw` or `blocks[level index]`.
 */
function decompose(a: number, e: number, raw: number[][], blocks: number[][][]): void {
  let top = -1;
  for (let i = LOD_LEVELS.length - 1; i >= 0; i--) {
    const w = 2 ** (LOD_LEVELS[i] as number);
    if (Math.ceil(a / w) * w < Math.floor(e / w) * w) {
      top = i;
      break;
    }
  }
  if (top < 0) {
    raw.push([a, e - 1]);
    return;
  }
  const up = (i: number): number => {
    const w = 2 ** (LOD_LEVELS[i] as number);
    return Math.ceil(a / w) * w;
  };
  const down = (i: number): number => {
    const w = 2 ** (LOD_LEVELS[i] as number);
    return Math.floor(e / w) * w;
  };
  const push = (i: number, s: number, t: number): void => {
    // Steps [s, t) at level i, both aligned to its width.
    if (s >= t) return;
    const w = 2 ** (LOD_LEVELS[i] as number);
    (blocks[i] as number[][]).push([s / w, t / w - 1]);
  };
  push(top, up(top), down(top));
  for (let i = 0; i < top; i++) {
    push(i, up(i), up(i + 1));
    push(i, down(i + 1), down(i));
  }
  if (a < up(0)) raw.push([a, up(0) - 1]);
  if (down(0) < e) raw.push([down(0), e - 1]);
}

/** ceil(b * span / nb), exact also where b * span passes 2^53. */
function ceilDiv(b: number, span: number, nb: number): number {
  const p = b * span;
  if (p <= Number.MAX_SAFE_INTEGER) return Math.ceil(p / nb);
  const big = BigInt(b) * BigInt(span);
  return Number((big + BigInt(nb) - 1n) / BigInt(nb));
}

/** The bucketed read of buckets.ts from point_lod: same buckets, same values. */
export class LodReader {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly tx: (sid: number, nb: number, from: number, to: number) => SeriesBucket[];

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
    // One snapshot for the pieces of every level (a writer may commit between statements).
    this.tx = db.transaction(this.readIn.bind(this));
  }

  /** Buckets of series `sid` over [from, to], nb of them (already validated by the caller). */
  read(sid: number, nb: number, from: number, to: number): SeriesBucket[] {
    return this.tx(sid, nb, from, to);
  }

  /**
   * The aggregate of series `sid` over steps [from, to] (from <= to), from at most a few blocks per
   * level and a few points. Runs no transaction of its own: call it inside the caller's read.
   */
  aggregate(sid: number, from: number, to: number): Agg {
    return this.fold(sid, 1, from, to).aggs[0] ?? emptyAgg();
  }

  private readIn(sid: number, nb: number, from: number, to: number): SeriesBucket[] {
    const { starts, aggs } = this.fold(sid, nb, from, to);
    const out: SeriesBucket[] = [];
    for (let b = 0; b < nb; b++) {
      const a = aggs[b];
      if (a === undefined || a.n === 0) continue;
      out.push(aggBucket(a, starts[b] as number, (starts[b + 1] as number) - 1));
    }
    return out;
  }

  /** Per bucket of the equal-width split of [from, to] into nb, its first step and its aggregate. */
  private fold(
    sid: number,
    nb: number,
    from: number,
    to: number,
  ): { starts: number[]; aggs: (Agg | undefined)[] } {
    const span = to - from + 1;
    const starts = new Array<number>(nb + 1);
    for (let b = 0; b <= nb; b++) starts[b] = from + ceilDiv(b, span, nb);
    const raw: number[][] = [];
    const blocks: number[][][] = LOD_LEVELS.map(() => []);
    for (let b = 0; b < nb; b++) decompose(starts[b] as number, starts[b + 1] as number, raw, blocks);
    const aggs: (Agg | undefined)[] = new Array<Agg | undefined>(nb);
    // The bucket holding step s: the last b with starts[b] <= s.
    const bucketOf = (s: number): Agg => {
      let lo = 0;
      let hi = nb - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= s) lo = mid;
        else hi = mid - 1;
      }
      let a = aggs[lo];
      if (a === undefined) aggs[lo] = a = emptyAgg();
      return a;
    };
    if (raw.length > 0) {
      for (const [step, value, nf] of this.sql.readPoints.all(JSON.stringify(raw), sid)) {
        foldPoint(bucketOf(step), step, value, nf);
      }
    }
    for (let i = 0; i < LOD_LEVELS.length; i++) {
      const ranges = blocks[i] as number[][];
      if (ranges.length === 0) continue;
      const level = LOD_LEVELS[i] as number;
      const w = 2 ** level;
      for (const r of this.sql.readBlocks.all(JSON.stringify(ranges), sid, level)) {
        foldRow(bucketOf(r[0] * w), r, 1);
      }
    }
    return { starts, aggs };
  }
}
