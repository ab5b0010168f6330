/**
 * Chart reads that touch one to three stored rows per bucket, whatever the series' length (issue 8:
 * "a read touches about two rows per pixel"): the buckets are the level-of-detail blocks of lod.ts
 * themselves, or a few of them, instead of equal-width splits of the range (buckets.ts), which cut
 * through blocks and so cost a few dozen rows per bucket.
 *
 * Bucket width. W = k 2^L steps, L = 0 (the points themselves) or a level of LOD_LEVELS, k = 1..3
 * (4 2^L is the next level's block); above the top level any k. The widths run 1, 2, 3, 4, 8, 12,
 * 16, 32, 48, 64, ..., no two neighbours more than a factor 2 apart, and W is the smallest of them
 * for which the read range [from, to] meets at most B - 1 buckets (B = maxBuckets; one is kept for
 * the first point), i.e. floor(to / W) - floor(from / W) + 1 <= B - 1. So a read returns between
 * about B/2 and B buckets, each folding k block rows (or k points).
 *
 * Buckets. Bucket j holds steps [j W, (j + 1) W - 1]: boundaries are multiples of W, absolute, so the
 * buckets of series read over the same range with the same B line up whatever steps each one has.
 * Over the read range [from, to]:
 * - the first point p0 >= from is a bucket of its own (the line starts where the series does);
 * - the steps p0 + 1 .. to fall into the buckets j, clipped to that range (stepFrom, stepTo);
 * - a whole bucket is its k block rows of level L, read in one indexed range for all of them; the
 *   clipped ones at either edge are aggregated exactly over their clipped steps (LodReader.aggregate:
 *   a few blocks of finer levels and points);
 * - empty buckets are left out.
 * Per bucket, min and max (finite values, first step on a tie), last, exactly as buckets.ts defines
 * them, so the values are the raw scan's for that bucket.
 *
 * Few points. When the range holds at most `perPointUpTo` points (default B), every point is a bucket
 * of its own instead (a zoom, or a sparse series such as a probe logged every few hundred steps, is
 * drawn point by point); callers lining up several series can ask for blocks regardless (0).
 */
import type Database from 'better-sqlite3';
import type { SeriesBucket } from '../../shared/runTypes';
import {
  AGG_COLUMNS,
  aggBucket,
  emptyAgg,
  foldPoint,
  foldRow,
  LOD_LEVELS,
  LodReader,
  type Agg,
  type BlockRow,
  type PointRow,
} from './lod';

/** The levels a bucket can be made of: 0 is the points themselves (a block of one step). */
const LEVELS: readonly number[] = [0, ...LOD_LEVELS];

export interface BlockBuckets {
  /** Points in the read range. */
  points: number;
  /** W, the bucket width in steps (what the range and maxBuckets chose). */
  width: number;
  /** Every point is a bucket of its own: the range held at most perPointUpTo points (none, too). */
  perPoint: boolean;
  buckets: SeriesBucket[];
}

/** How many buckets of width w meet the steps [from, to]. */
function bucketCount(from: number, to: number, w: number): number {
  return Math.floor(to / w) - Math.floor(from / w) + 1;
}

/**
 * The bucket width W = k 2^level for the range [from, to] and at most `most` buckets (>= 2),
 * see the file comment.
 */
export function blockBucketWidth(from: number, to: number, most: number): { width: number; level: number } {
  for (let i = 0; i < LEVELS.length; i++) {
    const level = LEVELS[i] as number;
    const w = 2 ** level;
    const next = LEVELS[i + 1];
    if (next !== undefined) {
      for (let k = 1; k < 2 ** (next - level); k++) {
        if (bucketCount(from, to, k * w) <= most) return { width: k * w, level };
      }
      continue;
    }
    // Top level: no k below span / (w most) can do (each bucket holds at most k w steps).
    let k = Math.max(1, Math.floor((to - from + 1) / (w * most)));
    while (bucketCount(from, to, k * w) > most) k++;
    return { width: k * w, level };
  }
  throw new Error('unreachable: the top level always has a width');
}

function prepareStatements(db: Database.Database) {
  return {
    firstStep: db
      .prepare<[number], number>('SELECT step FROM points WHERE series_id = ? ORDER BY step LIMIT 1')
      .pluck(),
    lastStep: db
      .prepare<[number], number>('SELECT step FROM points WHERE series_id = ? ORDER BY step DESC LIMIT 1')
      .pluck(),
    firstPoint: db
      .prepare<[number, number], PointRow>(
        'SELECT step, value, nf FROM points WHERE series_id = ? AND step >= ? ORDER BY step LIMIT 1',
      )
      .raw(),
    points: db
      .prepare<[number, number, number], PointRow>(
        'SELECT step, value, nf FROM points WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step',
      )
      .raw(),
    blocks: db
      .prepare<[number, number, number, number], BlockRow>(
        `SELECT block, ${AGG_COLUMNS} FROM point_lod
         WHERE series_id = ? AND level = ? AND block BETWEEN ? AND ? ORDER BY block`,
      )
      .raw(),
  };
}

export interface BlockBucketOptions {
  /** At most this many points in range: one bucket per point (default maxBuckets, at most that). */
  perPointUpTo: number;
}

export class BlockBucketReader {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly lod: LodReader;
  private readonly tx: (
    sid: number,
    maxBuckets: number,
    from: number,
    to: number,
    o: BlockBucketOptions,
  ) => BlockBuckets;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
    this.lod = new LodReader(db);
    // One snapshot for the first point, the edges and the blocks (a writer may commit in between).
    this.tx = db.transaction(this.readIn.bind(this));
  }

  /**
   * Series `sid` over [fromStep, toStep] (default: its first to last step) in at most `maxBuckets`
   * (>= 3) block-aligned buckets; see the file comment.
   */
  read(
    sid: number,
    maxBuckets: number,
    fromStep?: number,
    toStep?: number,
    options: Partial<BlockBucketOptions> = {},
  ): BlockBuckets {
    if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 3) {
      // Two buckets cannot always hold a range (one is the first point; -1 and 0 are never together).
      throw new RangeError(`maxBuckets must be an integer of at least 3, got ${maxBuckets}`);
    }
    const from = fromStep ?? this.sql.firstStep.get(sid);
    const to = toStep ?? this.sql.lastStep.get(sid);
    if (from === undefined || to === undefined || to < from) {
      return { points: 0, width: 1, perPoint: true, buckets: [] };
    }
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
      throw new RangeError(`step bounds must be safe integers, got ${from}..${to}`);
    }
    const perPointUpTo = Math.min(options.perPointUpTo ?? maxBuckets, maxBuckets);
    return this.tx(sid, maxBuckets, from, to, { perPointUpTo });
  }

  private readIn(
    sid: number,
    maxBuckets: number,
    from: number,
    to: number,
    o: BlockBucketOptions,
  ): BlockBuckets {
    const { width, level } = blockBucketWidth(from, to, maxBuckets - 1);
    const first = this.sql.firstPoint.get(sid, from);
    if (first === undefined || first[0] > to) return { points: 0, width, perPoint: true, buckets: [] };
    const p0 = first[0];
    const head = emptyAgg();
    foldPoint(head, ...first);
    const rest =
      level === 0
        ? this.pointBuckets(sid, width, p0 + 1, to)
        : this.lodBuckets(sid, width, level, p0 + 1, to);
    let points = 1;
    for (const b of rest) points += b.agg.n;
    if (points <= o.perPointUpTo) {
      const buckets = [aggBucket(head, p0, p0)];
      if (p0 < to) for (const p of this.sql.points.all(sid, p0 + 1, to)) buckets.push(pointBucket(p));
      return { points, width, perPoint: true, buckets };
    }
    const buckets = [aggBucket(head, p0, p0)];
    for (const b of rest) if (b.agg.n > 0) buckets.push(aggBucket(b.agg, b.from, b.to));
    return { points, width, perPoint: false, buckets };
  }

  /** Buckets of width w (<= 3) over [a, to] from the points themselves. */
  private pointBuckets(sid: number, w: number, a: number, to: number): Piece[] {
    const out: Piece[] = [];
    if (a > to) return out;
    let cur: Piece | undefined;
    for (const [step, value, nf] of this.sql.points.all(sid, a, to)) {
      const j = Math.floor(step / w);
      if (cur === undefined || cur.j !== j) out.push((cur = piece(j, w, a, to)));
      foldPoint(cur.agg, step, value, nf);
    }
    return out;
  }

  /** Buckets of width w = k 2^level over [a, to]: whole ones from k blocks each, the edges exactly. */
  private lodBuckets(sid: number, w: number, level: number, a: number, to: number): Piece[] {
    const out: Piece[] = [];
    if (a > to) return out;
    const bw = 2 ** level;
    const k = w / bw;
    // Via the block index: floor(s / 2^level) is exact, and so is an integer over a small k.
    const bucketOf = (s: number): number => Math.floor(Math.floor(s / bw) / k);
    const j0 = bucketOf(a);
    const j1 = bucketOf(to);
    const exact = (j: number): Piece => {
      const p = piece(j, w, a, to);
      p.agg = this.lod.aggregate(sid, p.from, p.to);
      return p;
    };
    const leftCut = a > j0 * w;
    const rightCut = to < (j1 + 1) * w - 1;
    if (j0 === j1)
      return leftCut || rightCut ? [exact(j0)] : this.wholeBuckets(sid, level, k, w, j0, j0, a, to);
    if (leftCut) out.push(exact(j0));
    out.push(...this.wholeBuckets(sid, level, k, w, leftCut ? j0 + 1 : j0, rightCut ? j1 - 1 : j1, a, to));
    if (rightCut) out.push(exact(j1));
    return out;
  }

  /** Buckets ja..jb (whole, inside [a, to]) from their k blocks each, one indexed range. */
  private wholeBuckets(
    sid: number,
    level: number,
    k: number,
    w: number,
    ja: number,
    jb: number,
    a: number,
    to: number,
  ): Piece[] {
    const out: Piece[] = [];
    if (ja > jb) return out;
    let cur: Piece | undefined;
    for (const r of this.sql.blocks.all(sid, level, ja * k, (jb + 1) * k - 1)) {
      const j = Math.floor(r[0] / k);
      if (cur === undefined || cur.j !== j) out.push((cur = piece(j, w, a, to)));
      foldRow(cur.agg, r, 1);
    }
    return out;
  }
}

/** Bucket j of width w clipped to [a, to], with what was folded into it. */
interface Piece {
  j: number;
  from: number;
  to: number;
  agg: Agg;
}

function piece(j: number, w: number, a: number, to: number): Piece {
  return { j, from: Math.max(j * w, a), to: Math.min((j + 1) * w - 1, to), agg: emptyAgg() };
}

function pointBucket([step, value, nf]: PointRow): SeriesBucket {
  const a = emptyAgg();
  foldPoint(a, step, value, nf);
  return aggBucket(a, step, step);
}
