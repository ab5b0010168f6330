/**
 * Metric series and their points. A training run reports a few series every few steps for hours, so
 * the write path is built for throughput: points arrive in batches and each batch is one transaction
 * (a commit costs far more than an insert, even without fsync), inserted through prepared multi-row
 * statements (one native call per CHUNK points), with series ids cached per run.
 *
 * A (series, step) holds one value: writing a step again replaces it, so a run resumed from a
 * checkpoint can replay steps it had already reported without leaving duplicates.
 */
import type Database from 'better-sqlite3';
import type { MetricPoint } from '../../shared/events';
import type { SeriesStats } from '../../shared/api';
import type { MetricRow, SeriesSummary } from '../../shared/runTypes';
import { LodWriter } from './lod';
import { DECODE_SQL, decodeValue, encodeValue } from './nonFinite';
import type { RunsRepo } from './runs';
import { notFound } from './runs';
import { BatchSummary, SeriesSummaryRepo } from './seriesSummary';
import { sqliteCode } from './sqliteErrors';

/** A point to store; `time` (ms since the epoch) defaults to when the batch is written. */
export interface StoredPoint extends MetricPoint {
  time?: number;
}

export interface StepRange {
  /** Inclusive bounds; default: the whole series. */
  fromStep?: number;
  toStep?: number;
}

export interface SeriesData {
  steps: Float64Array;
  values: Float64Array;
}

export interface SeriesRepoOptions {
  /**
   * Keep the level-of-detail blocks (lod.ts) with every write (default true); false only to measure
   * what they cost (the store benchmark): reads from a database written so are wrong.
   */
  lod?: boolean;
}

export interface AppendOptions {
  /** Also set the run's last step, in the same transaction. */
  lastStep?: number;
}

/** Rows per multi-row INSERT: fewer JS-to-native calls, far below SQLite's 32766 bound parameters. */
const CHUNK = 64;
const COLUMNS = 5;
const UPSERT = 'INSERT OR REPLACE INTO points (series_id, step, value, nf, time) VALUES ';

function prepareStatements(db: Database.Database) {
  return {
    insertOne: db.prepare(UPSERT + '(?, ?, ?, ?, ?)'),
    insertChunk: db.prepare(UPSERT + Array(CHUNK).fill('(?, ?, ?, ?, ?)').join(', ')),
    seriesId: db
      .prepare<[string, string], number>('SELECT id FROM series WHERE run_id = ? AND name = ?')
      .pluck(),
    addSeries: db
      .prepare<[string, string], number>('INSERT INTO series (run_id, name) VALUES (?, ?) RETURNING id')
      .pluck(),
    // Two flat columns read far faster than one row object (or array) per point.
    readSteps: db
      .prepare<[number, number, number], number>(
        'SELECT step FROM points WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step',
      )
      .pluck(),
    readValues: db
      .prepare<[number, number, number], number | null>(
        `SELECT ${DECODE_SQL} FROM points WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step`,
      )
      .pluck(),
    export: db.prepare<
      [string],
      { series: string; step: number; value: number | null; nf: number; time: number }
    >(
      `SELECT s.name AS series, p.step, p.value, p.nf, p.time
       FROM series s JOIN points p ON p.series_id = s.id
       WHERE s.run_id = ? ORDER BY s.name, p.step`,
    ),
    truncate: db.prepare(
      'DELETE FROM points WHERE series_id IN (SELECT id FROM series WHERE run_id = ?) AND step > ?',
    ),
    countRange: db
      .prepare<[number, number, number], number>(
        'SELECT count(*) FROM points WHERE series_id = ? AND step BETWEEN ? AND ?',
      )
      .pluck(),
    firstInRange: db
      .prepare<[number, number, number], number>(
        'SELECT step FROM points WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step LIMIT 1',
      )
      .pluck(),
  };
}

export class SeriesRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly summary: SeriesSummaryRepo;
  private readonly lod: LodWriter | undefined;
  /** runId -> series name -> series id; only ids known to be committed. */
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly appendTx: (
    runId: string,
    points: readonly StoredPoint[],
    lastStep: number | undefined,
  ) => void;
  /** Both columns from one snapshot (a writer may commit between two statements). */
  private readonly readTx: (id: number, from: number, to: number) => [number[], (number | null)[]];

  constructor(
    db: Database.Database,
    private readonly runs: RunsRepo,
    options: SeriesRepoOptions = {},
  ) {
    this.sql = prepareStatements(db);
    this.summary = new SeriesSummaryRepo(db);
    this.lod = (options.lod ?? true) ? new LodWriter(db) : undefined;
    // IMMEDIATE: take the write lock at BEGIN; a deferred transaction that reads (series ids) before
    // writing could fail with SQLITE_BUSY_SNAPSHOT, which busy_timeout does not retry.
    const tx = db.transaction(this.insertPoints.bind(this));
    this.appendTx = (runId, points, lastStep) => tx.immediate(runId, points, lastStep);
    this.readTx = db.transaction((id: number, from: number, to: number): [number[], (number | null)[]] => [
      this.sql.readSteps.all(id, from, to),
      this.sql.readValues.all(id, from, to),
    ]);
  }

  /** Writes `points` (any mix of series) in one transaction. */
  appendPoints(runId: string, points: readonly StoredPoint[], options: AppendOptions = {}): void {
    for (const p of points) validatePoint(p);
    if (points.length === 0 && options.lastStep === undefined) return;
    const known = new Set(this.ids.get(runId)?.values());
    try {
      this.appendTx(runId, points, options.lastStep);
    } catch (e) {
      // Ids created by the rolled-back transaction no longer exist.
      const cache = this.ids.get(runId);
      if (cache) for (const [name, id] of cache) if (!known.has(id)) cache.delete(name);
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        this.ids.delete(runId);
        throw notFound(runId);
      }
      throw e;
    }
  }

  /** Runs inside appendTx. */
  private insertPoints(runId: string, points: readonly StoredPoint[], lastStep: number | undefined): void {
    if (points.length > 0) this.runs.require(runId);
    const now = Date.now();
    const args: (number | null)[] = new Array<number | null>(CHUNK * COLUMNS);
    const enc: [number | null, number] = [0, 0];
    const full = points.length - (points.length % CHUNK);
    const batch = new BatchSummary();
    for (let i = 0; i < points.length; i++) {
      const p = points[i] as StoredPoint;
      const o = (i % CHUNK) * COLUMNS;
      const sid = this.idFor(runId, p.series);
      batch.add(sid, p.step, p.value);
      encodeValue(p.value, enc);
      args[o] = sid;
      args[o + 1] = p.step;
      args[o + 2] = enc[0];
      args[o + 3] = enc[1];
      args[o + 4] = p.time ?? now;
      if (i < full) {
        if (o === (CHUNK - 1) * COLUMNS) this.sql.insertChunk.run(args);
      } else {
        this.sql.insertOne.run(args.slice(o, o + COLUMNS));
      }
    }
    this.summary.apply(batch);
    if (this.lod) for (const [sid, a] of batch.bySeries) this.lod.refresh(sid, a.lo, a.hi);
    if (lastStep !== undefined) this.runs.updateLastStep(runId, lastStep);
  }

  private idFor(runId: string, name: string): number {
    let cache = this.ids.get(runId);
    if (!cache) this.ids.set(runId, (cache = new Map()));
    let id = cache.get(name);
    if (id === undefined) {
      id = this.sql.seriesId.get(runId, name) ?? (this.sql.addSeries.get(runId, name) as number);
      cache.set(name, id);
    }
    return id;
  }

  /** The id of a run's series, or undefined if it has none of that name. */
  seriesId(runId: string, name: string): number | undefined {
    return this.ids.get(runId)?.get(name) ?? this.sql.seriesId.get(runId, name);
  }

  /** The run's series that hold points, by name (from their summaries: no point is read). */
  list(runId: string): SeriesSummary[] {
    return this.summary
      .list(runId)
      .map((s) => ({ name: s.name, firstStep: s.firstStep, lastStep: s.lastStep }));
  }

  /** The run's series that hold points, by name, with their point counts, min, max and last value. */
  stats(runId: string): SeriesStats[] {
    return this.summary.list(runId);
  }

  /** Points of series `id` in the step range, and the first step among them (undefined if none). */
  rangeInfo(id: number, range: StepRange = {}): { points: number; firstStep: number | undefined } {
    const [from, to] = bounds(range);
    return {
      points: this.sql.countRange.get(id, from, to) ?? 0,
      firstStep: this.sql.firstInRange.get(id, from, to),
    };
  }

  /** Every point of a series in the step range, in step order (empty if the series does not exist). */
  read(runId: string, name: string, range: StepRange = {}): SeriesData {
    const id = this.seriesId(runId, name);
    if (id === undefined) return { steps: new Float64Array(0), values: new Float64Array(0) };
    const [steps, values] = this.readTx(id, ...bounds(range));
    return { steps: Float64Array.from(steps), values: Float64Array.from(values, (v) => v ?? Number.NaN) };
  }

  /**
   * A run's whole metric history ordered by series name then step, streamed (a run may hold
   * millions of points). The connection is busy until the iteration ends: finish it before writing.
   */
  *export(runId: string): Generator<MetricRow, void, undefined> {
    for (const r of this.sql.export.iterate(runId)) {
      yield { series: r.series, step: r.step, value: decodeValue(r.value, r.nf), time: r.time };
    }
  }

  /** Deletes the run's points after `step` (call inside a transaction with the matching run update). */
  truncateAfter(runId: string, step: number): number {
    const deleted = this.sql.truncate.run(runId, step).changes;
    if (deleted > 0) {
      this.summary.recomputeRun(runId);
      this.lod?.truncateRun(runId, step);
    }
    return deleted;
  }

  /** Drops cached ids of a deleted run. */
  forget(runId: string): void {
    this.ids.delete(runId);
  }
}

export function bounds(range: StepRange): [number, number] {
  return [range.fromStep ?? Number.MIN_SAFE_INTEGER, range.toStep ?? Number.MAX_SAFE_INTEGER];
}

function validatePoint(p: StoredPoint): void {
  if (!Number.isSafeInteger(p.step)) throw new RangeError(`point step must be an integer, got ${p.step}`);
  if (typeof p.value !== 'number') throw new TypeError(`point value must be a number, got ${typeof p.value}`);
  if (typeof p.series !== 'string' || p.series === '')
    throw new TypeError('point series must be a non-empty name');
}
