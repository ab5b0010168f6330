/**
 * Downsampled series reads for charts, computed in SQLite so a chart of a million points receives
 * about one row per pixel column instead of every point.
 *
 * Bucket math. The step range [f, t] (span n = t - f + 1 steps) is split into B equal-width buckets,
 * B = min(requested, n); step s belongs to bucket b = floor((s - f) B / n). Inverting, bucket b holds
 * the steps
 *     lo_b = f + ceil(b n / B)  ...  hi_b = f + ceil((b + 1) n / B) - 1,
 * computed in SQLite's 64-bit integer arithmetic as f + (b n + B - 1) / B. Per bucket it returns the
 * smallest and largest value with the first step each occurs at (so drawing min..max per column shows
 * every spike), and the last value with its step (what the line passes through).
 *
 * Non-finite values: min and max are over finite values only (a bucket with none has null min/max),
 * since one NaN or Infinity would otherwise hide the whole curve; `last` is the value at the bucket's
 * last step as stored, NaN and +-Infinity included, so a diverging run's chart ends in the divergence.
 * This falls out of the storage encoding (nonFinite.ts): non-finite values are NULL in `value`,
 * which ORDER BY ... WHERE value IS NOT NULL skips.
 *
 * Empty buckets are left out.
 *
 * Two sources give the same result. The default reads the level-of-detail blocks of lod.ts: a few
 * dozen rows per bucket whatever the series' length. The raw scan (source 'raw', kept as the
 * reference for tests and the benchmark) costs per bucket two ordered index-range scans (min, max;
 * each a top-1 sort) and one seek (last), i.e. two sequential passes over the range.
 */
import type Database from 'better-sqlite3';
import type { SeriesBucket } from '../../shared/runTypes';
import { LodReader } from './lod';
import { decodeValue } from './nonFinite';

const BUCKETS_SQL = `
  WITH RECURSIVE
    prm (f, nb, span) AS (
      SELECT CAST(@from AS INTEGER), CAST(@buckets AS INTEGER), CAST(@to AS INTEGER) - CAST(@from AS INTEGER) + 1),
    bk (b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM bk, prm WHERE b + 1 < nb),
    rng (b, lo, hi) AS (
      SELECT b, f + (b * span + nb - 1) / nb, f + ((b + 1) * span + nb - 1) / nb - 1 FROM bk, prm),
    agg AS MATERIALIZED (
      SELECT b, lo, hi,
        (SELECT step FROM points WHERE series_id = @sid AND step BETWEEN lo AND hi
          ORDER BY step DESC LIMIT 1) AS last_step,
        (SELECT step FROM points WHERE series_id = @sid AND step BETWEEN lo AND hi AND value IS NOT NULL
          ORDER BY value, step LIMIT 1) AS min_step,
        (SELECT step FROM points WHERE series_id = @sid AND step BETWEEN lo AND hi AND value IS NOT NULL
          ORDER BY value DESC, step LIMIT 1) AS max_step
      FROM rng)
  SELECT agg.lo, agg.hi,
    agg.last_step, l.value AS last_value, l.nf AS last_nf,
    agg.min_step, mn.value AS min_value, mn.nf AS min_nf,
    agg.max_step, mx.value AS max_value, mx.nf AS max_nf
  FROM agg
    JOIN points l ON l.series_id = @sid AND l.step = agg.last_step
    LEFT JOIN points mn ON mn.series_id = @sid AND mn.step = agg.min_step
    LEFT JOIN points mx ON mx.series_id = @sid AND mx.step = agg.max_step
  ORDER BY agg.b`;

interface BucketRow {
  lo: number;
  hi: number;
  last_step: number;
  last_value: number | null;
  last_nf: number;
  min_step: number | null;
  min_value: number | null;
  min_nf: number | null;
  max_step: number | null;
  max_value: number | null;
  max_nf: number | null;
}

/** The most buckets one read returns (a wide chart has a few thousand pixel columns). */
export const MAX_BUCKETS = 100_000;

function prepareStatements(db: Database.Database) {
  return {
    buckets: db.prepare<[{ sid: number; from: number; to: number; buckets: number }], BucketRow>(BUCKETS_SQL),
    firstStep: db
      .prepare<[number], number>('SELECT step FROM points WHERE series_id = ? ORDER BY step LIMIT 1')
      .pluck(),
    lastStep: db
      .prepare<[number], number>('SELECT step FROM points WHERE series_id = ? ORDER BY step DESC LIMIT 1')
      .pluck(),
  };
}

/** Where a bucketed read comes from; see the file comment. */
export type BucketSource = 'lod' | 'raw';

export class BucketReader {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly lod: LodReader;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
    this.lod = new LodReader(db);
  }

  /**
   * Series `sid` over [fromStep, toStep] (default: its first to last step) in `buckets` equal-width
   * step buckets; see the file comment.
   */
  read(
    sid: number,
    buckets: number,
    fromStep?: number,
    toStep?: number,
    source: BucketSource = 'lod',
  ): SeriesBucket[] {
    if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
      throw new RangeError(`buckets must be an integer in 1..${MAX_BUCKETS}, got ${buckets}`);
    }
    const from = fromStep ?? this.sql.firstStep.get(sid);
    const to = toStep ?? this.sql.lastStep.get(sid);
    if (from === undefined || to === undefined || to < from) return [];
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
      throw new RangeError(`step bounds must be integers, got ${from}..${to}`);
    }
    const span = to - from + 1;
    const nb = Math.min(buckets, span);
    // (b + 1) * span must stay within SQLite's 64-bit integers.
    if (span * nb > 2 ** 62) throw new RangeError(`step range ${from}..${to} is too wide for ${nb} buckets`);
    if (source === 'lod') return this.lod.read(sid, nb, from, to);
    const rows = this.sql.buckets.all({ sid, from, to, buckets: nb });
    return rows.map((r) => ({
      stepFrom: r.lo,
      stepTo: r.hi,
      min: r.min_step === null ? null : decodeValue(r.min_value, r.min_nf ?? 0),
      minStep: r.min_step,
      max: r.max_step === null ? null : decodeValue(r.max_value, r.max_nf ?? 0),
      maxStep: r.max_step,
      last: decodeValue(r.last_value, r.last_nf),
      lastStep: r.last_step,
    }));
  }
}
