/**
 * The run database: one SQLite file holding every run, its metric series, checkpoints and log. Used
 * from the main process only (synchronous better-sqlite3; the engine's workers send events and the
 * runs layer persists them here). Several processes may open the same file (WAL, see db.ts).
 */
import type Database from 'better-sqlite3';
import type { ExperimentConfig } from '../../shared/config';
import type {
  CheckpointInfo,
  FinishedRunStatus,
  MetricRow,
  RunListFilter,
  RunLogEntry,
  RunLogLevel,
  RunRecord,
  SeriesBucket,
  SeriesSummary,
  StoredProbeRecord,
} from '../../shared/runTypes';
import type { ProbeRecord } from '../../shared/probes';
import type { SliceJob, SlicePoint, SliceSettings, SliceStatus } from '../../shared/slices';
import { BucketReader } from './buckets';
import type { Checkpoint, SaveCheckpointOptions } from './checkpoints';
import { CheckpointsRepo } from './checkpoints';
import { openDatabase } from './db';
import type { PointWriterOptions } from './pointWriter';
import { PointWriter } from './pointWriter';
import type { ListLogOptions } from './runLog';
import { RunLogRepo } from './runLog';
import type { ProbeRecordFilter } from './probeRecords';
import { ProbeRecordsRepo } from './probeRecords';
import type { CreateRunMeta, FinishInfo, RunningInfo, UnfinishedRunStatus } from './runs';
import { RunsRepo } from './runs';
import type { AppendOptions, SeriesData, StepRange, StoredPoint } from './series';
import { SeriesRepo } from './series';
import type { SlicePointInput } from './sliceJobs';
import { SliceJobsRepo } from './sliceJobs';
import { toStoreError } from './sqliteErrors';

export type { Checkpoint, SaveCheckpointOptions } from './checkpoints';
export { DEFAULT_KEEP_CHECKPOINTS } from './checkpoints';
export type { PointWriterOptions } from './pointWriter';
export { PointWriter } from './pointWriter';
export type { ListLogOptions } from './runLog';
export type { ProbeRecordFilter } from './probeRecords';
export type { CreateRunMeta, FinishInfo, RunningInfo, UnfinishedRunStatus } from './runs';
export type { AppendOptions, SeriesData, StepRange, StoredPoint } from './series';
export type { SlicePointInput } from './sliceJobs';
export { sliceJobNotFound } from './sliceJobs';
export { MAX_BUCKETS } from './buckets';
export { SCHEMA_VERSION } from './migrations';

export interface StoreOptions {
  /**
   * While opening, mark runs whose process died `interrupted` and their running loss-slice jobs
   * `stopped` (default true).
   */
  recover?: boolean;
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) the database at `path`; ':memory:' gives a private in-memory one. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const db = openDatabase(
    path,
    options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
  );
  try {
    const store = new Store(db);
    if (options.recover ?? true) {
      store.recoverInterrupted();
      store.recoverSliceJobs();
    }
    return store;
  } catch (e) {
    db.close();
    throw toStoreError(e, db.name);
  }
}

export class Store {
  readonly path: string;
  private readonly runs: RunsRepo;
  private readonly series: SeriesRepo;
  private readonly buckets: BucketReader;
  private readonly checkpoints: CheckpointsRepo;
  private readonly log: RunLogRepo;
  private readonly probeRecords: ProbeRecordsRepo;
  private readonly sliceJobs: SliceJobsRepo;
  private readonly writers = new Set<PointWriter>();

  /** Use openStore; `db` must have been opened by openDatabase. */
  constructor(private readonly db: Database.Database) {
    this.path = db.name;
    this.runs = new RunsRepo(db);
    this.series = new SeriesRepo(db, this.runs);
    this.buckets = new BucketReader(db);
    this.checkpoints = new CheckpointsRepo(db);
    this.log = new RunLogRepo(db);
    this.probeRecords = new ProbeRecordsRepo(db);
    this.sliceJobs = new SliceJobsRepo(db);
  }

  // Runs

  /** Adds a `queued` run; returns its id. */
  createRun(config: ExperimentConfig, meta: CreateRunMeta = {}): string {
    return this.guard(() => this.runs.create(config, meta));
  }

  /** The run starts (or resumes) training on `info`'s backend, owned by this process. */
  markRunning(id: string, info: RunningInfo): void {
    this.guard(() => this.runs.markRunning(id, info));
  }

  setStatus(id: string, status: UnfinishedRunStatus): void {
    this.guard(() => this.runs.setStatus(id, status));
  }

  /** Ends the run unless it has ended already; true if this call ended it. */
  finish(id: string, status: FinishedRunStatus, info: FinishInfo = {}): boolean {
    return this.guard(() => this.runs.finish(id, status, info));
  }

  /** Prefer AppendOptions.lastStep / PointWriter.setLastStep, which add no transaction of their own. */
  updateLastStep(id: string, step: number): void {
    this.guard(() => this.runs.updateLastStep(id, step));
  }

  getRun(id: string): RunRecord | undefined {
    return this.runs.get(id);
  }

  /** Newest first. */
  listRuns(filter: RunListFilter = {}): RunRecord[] {
    return this.runs.list(filter);
  }

  /**
   * Deletes the run and everything it owns, then returns the freed pages to the file system
   * (incremental auto-vacuum; checkpoints make a run's footprint large). False if there was none.
   */
  deleteRun(id: string): boolean {
    const deleted = this.guard(() => this.runs.delete(id));
    this.series.forget(id);
    if (deleted) this.db.pragma('incremental_vacuum');
    return deleted;
  }

  /**
   * Marks `interrupted` the runs left running or paused by a process that no longer exists (see
   * processOwner.ts), logging why; returns their ids. openStore calls it.
   */
  recoverInterrupted(options: { force?: boolean } = {}): string[] {
    const orphans = this.runs.findOrphaned(options);
    if (orphans.length === 0) return [];
    return this.guard(() =>
      this.db
        .transaction(() =>
          orphans.flatMap((run) => {
            // Re-checked under the write lock: another process may have recovered or resumed it.
            if (!this.runs.interrupt(run)) return [];
            const lastStep = this.runs.get(run.id)?.lastStep ?? 'unknown';
            this.log.append(
              run.id,
              'warn',
              `Interrupted: the process running it ended (last step ${lastStep}). Resume it from its latest checkpoint.`,
            );
            return [run.id];
          }),
        )
        .immediate(),
    );
  }

  // Metric series

  /** Writes a batch of points (any mix of series) in one transaction. */
  appendPoints(runId: string, points: readonly StoredPoint[], options: AppendOptions = {}): void {
    this.guard(() => this.series.appendPoints(runId, points, options));
  }

  /** A buffered writer for one run's points; see pointWriter.ts. close() flushes it (so does Store.close). */
  pointWriter(runId: string, options: PointWriterOptions = {}): PointWriter {
    this.runs.require(runId);
    const writer = new PointWriter(
      (points, lastStep) => this.appendPoints(runId, points, lastStep === undefined ? {} : { lastStep }),
      options,
      () => this.writers.delete(writer),
    );
    this.writers.add(writer);
    return writer;
  }

  /** The run's series that hold points, by name. */
  listSeries(runId: string): SeriesSummary[] {
    return this.series.list(runId);
  }

  /** Every point of a series in the step range (empty if none). */
  readSeries(runId: string, name: string, range: StepRange = {}): SeriesData {
    return this.series.read(runId, name, range);
  }

  /**
   * The series downsampled into `buckets` equal-width step buckets over [fromStep, toStep] (default:
   * its whole range): per non-empty bucket min, max (finite values only) and last value, with steps.
   * See buckets.ts.
   */
  readSeriesBuckets(runId: string, name: string, buckets: number, range: StepRange = {}): SeriesBucket[] {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return [];
    return this.buckets.read(sid, buckets, range.fromStep, range.toStep);
  }

  /** The run's whole metric history, by series then step, streamed; finish iterating before writing. */
  exportMetrics(runId: string): Generator<MetricRow, void, undefined> {
    this.runs.require(runId);
    return this.series.export(runId);
  }

  /**
   * Forgets everything the run recorded after `step` (points, probe records and checkpoints) and sets its last step
   * to `step`: what resuming from the checkpoint at `step` starts from.
   */
  truncateRunAfter(runId: string, step: number): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          this.runs.updateLastStep(runId, step);
          this.series.truncateAfter(runId, step);
          this.probeRecords.truncateAfter(runId, step);
          this.checkpoints.truncateAfter(runId, step);
        })
        .immediate(),
    );
  }

  // Probe records

  /** Writes structured probe results (one transaction). */
  appendProbeRecords(runId: string, records: readonly ProbeRecord[]): void {
    this.guard(() => this.probeRecords.append(runId, records));
  }

  /** The run's probe records by step (optionally one probe, a step range). */
  listProbeRecords(runId: string, filter: ProbeRecordFilter = {}): StoredProbeRecord[] {
    this.runs.require(runId);
    return this.probeRecords.list(runId, filter);
  }

  // Loss-slice jobs (shared/slices.ts; deleting the run deletes them with their points)

  /** Adds a `queued` slice job on the run's checkpoint at `step`; returns its id. */
  createSliceJob(runId: string, step: number, settings: SliceSettings): string {
    return this.guard(() => this.sliceJobs.create(runId, step, settings));
  }

  /** The job with done = points stored so far and total = sliceTotal(settings). */
  getSliceJob(id: string): SliceJob | undefined {
    return this.sliceJobs.get(id);
  }

  /** The run's slice jobs, oldest first. */
  listSliceJobs(runId: string): SliceJob[] {
    this.runs.require(runId);
    return this.sliceJobs.list(runId);
  }

  /**
   * Sets the job's status and error (null unless given) and bumps updated_at. The owner recorded is
   * `ownerPid` if given, else this process for `running` and nobody otherwise; recoverSliceJobs
   * stops running jobs whose owner is gone.
   */
  setSliceStatus(id: string, status: SliceStatus, error?: string | null, ownerPid?: number | null): void {
    this.guard(() => this.sliceJobs.setStatus(id, status, error ?? null, ownerPid));
  }

  /** Stores grid points (NaN and +-Infinity kept; a repeated (i, j) replaces) in one transaction. */
  appendSlicePoints(id: string, points: readonly SlicePointInput[]): void {
    this.guard(() => this.sliceJobs.appendPoints(id, points));
  }

  /** The job's stored points, i (alpha) outer and j (beta) inner, with their alpha and beta. */
  readSlicePoints(id: string): SlicePoint[] {
    return this.guard(() => this.sliceJobs.readPoints(id));
  }

  /**
   * Marks `stopped` (resumable, points kept) the slice jobs left running by a process that no longer
   * exists (see processOwner.ts); returns their ids. openStore calls it.
   */
  recoverSliceJobs(options: { force?: boolean } = {}): string[] {
    const orphans = this.sliceJobs.findOrphaned(options);
    if (orphans.length === 0) return [];
    return this.guard(() =>
      this.db
        .transaction(() =>
          // Re-checked under the write lock: another process may have recovered or resumed it.
          orphans.flatMap((job) => (this.sliceJobs.stopOrphan(job) ? [job.id] : [])),
        )
        .immediate(),
    );
  }

  // Checkpoints

  /** Saves the checkpoint at `step`, keeping the run's `keep` newest (default 3). */
  saveCheckpoint(runId: string, step: number, bytes: Uint8Array, options: SaveCheckpointOptions = {}): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          this.runs.require(runId);
          this.checkpoints.save(runId, step, bytes, options);
        })
        .immediate(),
    );
  }

  getLatestCheckpoint(runId: string): Checkpoint | undefined {
    return this.checkpoints.latest(runId);
  }

  getCheckpoint(runId: string, step: number): Checkpoint | undefined {
    return this.checkpoints.at(runId, step);
  }

  /** Oldest first, without bytes. */
  listCheckpoints(runId: string): CheckpointInfo[] {
    return this.checkpoints.list(runId);
  }

  // Run log

  appendLog(runId: string, level: RunLogLevel, message: string, data?: unknown): number {
    return this.guard(() => this.log.append(runId, level, message, data));
  }

  listLog(runId: string, options: ListLogOptions = {}): RunLogEntry[] {
    return this.log.list(runId, options);
  }

  /** Flushes open point writers and closes the file. Further calls throw. */
  close(): void {
    if (!this.db.open) return;
    let failure: unknown;
    for (const w of [...this.writers]) {
      try {
        w.close();
      } catch (e) {
        failure ??= e;
      }
    }
    this.db.close();
    if (failure !== undefined) throw failure;
  }

  /** Maps a failed write to the error a user can act on (unknown run, full disk, lock held). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toStoreError(e, this.path);
    }
  }
}
