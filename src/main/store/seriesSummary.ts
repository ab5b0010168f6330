/**
 * The summary row of each series (columns of `series`): how many points it holds, its first and last
 * step, its last value and its smallest and largest finite values. Every write of points updates it
 * in the same transaction, so the runs table (final metrics), a run's detail and a delete preview read
 * one row per series instead of its points.
 *
 * Updating is incremental on the path every training run takes: a batch whose steps, per series,
 * increase and all lie after the series' stored last step only adds to the summary (count += n,
 * last := the batch's last, min/max widened). Anything else (a step written again, a run truncated
 * back to a checkpoint) recomputes the series from its points, which is rare.
 */
import type Database from 'better-sqlite3';
import type { SeriesStats } from '../../shared/api';
import { decodeValue, encodeValue } from './nonFinite';

interface Accumulator {
  n: number;
  first: number;
  last: number;
  lastValue: number;
  /** Over finite values; null while there is none. */
  min: number | null;
  max: number | null;
  /** Steps strictly increasing within the batch. */
  ordered: boolean;
  /** Smallest and largest step of the batch (the range whose level-of-detail blocks change). */
  lo: number;
  hi: number;
}

/** One batch's points, summarized per series id while they are inserted. */
export class BatchSummary {
  readonly bySeries = new Map<number, Accumulator>();

  add(seriesId: number, step: number, value: number): void {
    const a = this.bySeries.get(seriesId);
    const finite = Number.isFinite(value);
    if (a === undefined) {
      this.bySeries.set(seriesId, {
        n: 1,
        first: step,
        last: step,
        lastValue: value,
        min: finite ? value : null,
        max: finite ? value : null,
        ordered: true,
        lo: step,
        hi: step,
      });
      return;
    }
    a.n++;
    if (step <= a.last) {
      a.ordered = false;
      if (step < a.lo) a.lo = step;
    }
    if (step > a.hi) a.hi = step;
    a.last = step;
    a.lastValue = value;
    if (finite) {
      a.min = a.min === null ? value : Math.min(a.min, value);
      a.max = a.max === null ? value : Math.max(a.max, value);
    }
  }
}

interface StatsRow {
  name: string;
  first_step: number;
  last_step: number;
  points: number;
  min_value: number | null;
  max_value: number | null;
  last_value: number | null;
  last_nf: number;
}

/**
 * A series' summary from its points. Migration 4 (migrations.ts) backfilled the same columns with a
 * copy of this SQL; that copy stays as written (migrations are frozen once released), this one may
 * change with the schema.
 */
const RECOMPUTE = `
  points = (SELECT count(*) FROM points WHERE series_id = series.id),
  first_step = (SELECT min(step) FROM points WHERE series_id = series.id),
  last_step = (SELECT max(step) FROM points WHERE series_id = series.id),
  last_value = (SELECT value FROM points WHERE series_id = series.id ORDER BY step DESC LIMIT 1),
  last_nf = coalesce((SELECT nf FROM points WHERE series_id = series.id ORDER BY step DESC LIMIT 1), 0),
  min_value = (SELECT min(value) FROM points WHERE series_id = series.id),
  max_value = (SELECT max(value) FROM points WHERE series_id = series.id)`;

function prepareStatements(db: Database.Database) {
  return {
    lastStep: db.prepare<[number], number | null>('SELECT last_step FROM series WHERE id = ?').pluck(),
    extend: db.prepare(
      `UPDATE series SET points = points + @n, first_step = coalesce(first_step, @first),
         last_step = @last, last_value = @lastValue, last_nf = @lastNf,
         min_value = CASE WHEN @min IS NULL THEN min_value WHEN min_value IS NULL THEN @min
                          ELSE min(min_value, @min) END,
         max_value = CASE WHEN @max IS NULL THEN max_value WHEN max_value IS NULL THEN @max
                          ELSE max(max_value, @max) END
       WHERE id = @id`,
    ),
    recomputeSeries: db.prepare(`UPDATE series SET ${RECOMPUTE} WHERE id = ?`),
    recomputeRun: db.prepare(`UPDATE series SET ${RECOMPUTE} WHERE run_id = ?`),
    list: db.prepare<[string], StatsRow>(
      `SELECT name, first_step, last_step, points, min_value, max_value, last_value, last_nf
       FROM series WHERE run_id = ? AND points > 0 ORDER BY name`,
    ),
  };
}

export class SeriesSummaryRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Folds a batch, already inserted, into its series' summaries (call in the insert's transaction). */
  apply(batch: BatchSummary): void {
    const enc: [number | null, number] = [null, 0];
    for (const [id, a] of batch.bySeries) {
      const stored = this.sql.lastStep.get(id) ?? null;
      if (!a.ordered || (stored !== null && a.first <= stored)) {
        this.sql.recomputeSeries.run(id);
        continue;
      }
      encodeValue(a.lastValue, enc);
      this.sql.extend.run({
        id,
        n: a.n,
        first: a.first,
        last: a.last,
        lastValue: enc[0],
        lastNf: enc[1],
        min: a.min,
        max: a.max,
      });
    }
  }

  /** Recomputes every series of a run from its points (after points were deleted). */
  recomputeRun(runId: string): void {
    this.sql.recomputeRun.run(runId);
  }

  /** The run's series that hold points, by name, with their summaries. */
  list(runId: string): SeriesStats[] {
    return this.sql.list.all(runId).map((r) => ({
      name: r.name,
      firstStep: r.first_step,
      lastStep: r.last_step,
      points: r.points,
      min: r.min_value,
      max: r.max_value,
      last: decodeValue(r.last_value, r.last_nf),
    }));
  }
}
