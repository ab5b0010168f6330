/**
 * The wall-clock side of a series: when its points were written (points.time, ms since the epoch), for
 * charts whose x axis is time since the run started.
 *
 * A run writes its points in step order, so time is non-decreasing in step (a resumed run rewrites
 * the steps after its checkpoint later still). A time range is turned into a step range by binary
 * search over steps with index seeks, never by scanning `time` (it has no index): about 2 log2(span)
 * seeks, a few dozen for a million-step series.
 */
import type Database from 'better-sqlite3';
import type { StepRange } from './series';

interface StepTime {
  step: number;
  time: number;
}

function prepareStatements(db: Database.Database) {
  return {
    // One index seek per requested step, in one statement.
    atSteps: db.prepare<[string, number], StepTime>(
      `SELECT p.step AS step, p.time AS time FROM json_each(?) j CROSS JOIN
         points p ON p.series_id = ? AND p.step = j.value`,
    ),
    atOrAfter: db.prepare<[number, number], StepTime>(
      'SELECT step, time FROM points WHERE series_id = ? AND step >= ? ORDER BY step LIMIT 1',
    ),
    atOrBefore: db.prepare<[number, number], StepTime>(
      'SELECT step, time FROM points WHERE series_id = ? AND step <= ? ORDER BY step DESC LIMIT 1',
    ),
  };
}

export class SeriesTimesReader {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly rangeTx: (sid: number, fromMs: number, toMs: number) => StepRange | undefined;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
    // One snapshot for every seek of a search (a writer may commit between statements).
    this.rangeTx = db.transaction(this.stepRangeIn.bind(this));
  }

  /** The time of the point at each of `steps` of series `sid`, NaN where it has no point. */
  at(sid: number, steps: readonly number[]): Float64Array {
    const out = new Float64Array(steps.length).fill(Number.NaN);
    if (steps.length === 0) return out;
    const times = new Map<number, number>();
    for (const r of this.sql.atSteps.all(JSON.stringify(steps), sid)) times.set(r.step, r.time);
    for (let i = 0; i < steps.length; i++) out[i] = times.get(steps[i] as number) ?? Number.NaN;
    return out;
  }

  /**
   * The steps of the first and the last point written within [fromMs, toMs]; undefined when no point
   * was written in that window.
   */
  stepRange(sid: number, fromMs: number, toMs: number): StepRange | undefined {
    return this.rangeTx(sid, fromMs, toMs);
  }

  private stepRangeIn(sid: number, fromMs: number, toMs: number): StepRange | undefined {
    const first = this.sql.atOrAfter.get(sid, Number.MIN_SAFE_INTEGER);
    const last = this.sql.atOrBefore.get(sid, Number.MAX_SAFE_INTEGER);
    if (!first || !last || toMs < fromMs) return undefined;
    // The smallest s whose next point (step >= s) was written at or after fromMs; past the last step
    // when none was.
    let lo = first.step;
    let hi = last.step + 1;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const p = this.sql.atOrAfter.get(sid, mid);
      if (p && p.time >= fromMs) hi = mid;
      else lo = mid + 1;
    }
    const start = this.sql.atOrAfter.get(sid, lo);
    // The largest s whose previous point (step <= s) was written at or before toMs; before the first
    // step when none was.
    lo = first.step - 1;
    hi = last.step;
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      const p = this.sql.atOrBefore.get(sid, mid);
      if (p && p.time <= toMs) lo = mid;
      else hi = mid - 1;
    }
    const end = this.sql.atOrBefore.get(sid, lo);
    if (!start || !end || end.step < start.step) return undefined;
    return { fromStep: start.step, toStep: end.step };
  }
}
