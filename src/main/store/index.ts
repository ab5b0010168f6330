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
import type { RunRow, SeriesStats } from '../../shared/api';
import type { SliceJob, SlicePoint, SliceSettings, SliceStatus } from '../../shared/slices';
import { BlockBucketReader, type BlockBucketOptions, type BlockBuckets } from './blockBuckets';
import { BucketReader, type BucketSource } from './buckets';
import type { Checkpoint, SaveCheckpointOptions } from './checkpoints';
import { CheckpointsRepo } from './checkpoints';
import { openDatabase } from './db';
import type { PointWriterOptions } from './pointWriter';
import { PointWriter } from './pointWriter';
import type { ListLogOptions } from './runLog';
import { RunLogRepo } from './runLog';
import type { ProbeRecordFilter, ProbeSummary } from './probeRecords';
import { ProbeRecordsRepo } from './probeRecords';
import { currentOwner, isOwnerAlive, type OwnerKind } from './processOwner';
import type { RunEdit } from './runEdits';
import { RunEditsRepo } from './runEdits';
import type { RunFootprint } from './runFootprint';
import { RunFootprintRepo } from './runFootprint';
import type {
  CreateRunMeta,
  FinishInfo,
  OrphanedRun,
  RunOwner,
  RunningInfo,
  UnfinishedRunStatus,
} from './runs';
import { RunsRepo } from './runs';
import type { RunTableQuery } from './runTable';
import { RunTableRepo } from './runTable';
import type { ThroughputMatch, ThroughputSample } from './throughputSamples';
import { ThroughputRepo } from './throughputSamples';
import type { AppendOptions, SeriesData, StepRange, StoredPoint } from './series';
import { SeriesRepo } from './series';
import { SeriesTimesReader } from './seriesTimes';
import type { SlicePointInput } from './sliceJobs';
import { SliceJobsRepo } from './sliceJobs';
import { toStoreError } from './sqliteErrors';

export type { Checkpoint, SaveCheckpointOptions } from './checkpoints';
export { DEFAULT_KEEP_CHECKPOINTS } from './checkpoints';
export type { PointWriterOptions } from './pointWriter';
export { PointWriter } from './pointWriter';
export type { ListLogOptions } from './runLog';
export type { ProbeRecordFilter, ProbeSummary } from './probeRecords';
export type { CreateRunMeta, FinishInfo, RunOwner, RunningInfo, UnfinishedRunStatus } from './runs';
export type { RunEdit } from './runEdits';
export { normalizeTags } from './runEdits';
export type { RunFootprint } from './runFootprint';
export type { RunTableQuery } from './runTable';
export type { ThroughputMatch, ThroughputSample } from './throughputSamples';
export { ADOPTING_KINDS, isOwnerAlive, OWNER_KINDS, type OwnerKind } from './processOwner';
export type { AppendOptions, SeriesData, StepRange, StoredPoint } from './series';
export type { SlicePointInput } from './sliceJobs';
export { sliceJobNotFound } from './sliceJobs';
export { MAX_BUCKETS, type BucketSource } from './buckets';
export type { BlockBucketOptions, BlockBuckets } from './blockBuckets';
export { SCHEMA_VERSION } from './migrations';

export interface StoreOptions {
  /**
   * While opening, mark runs whose process died `interrupted` (except the queued runs of a dead app
   * or serve, which the next one adopts) and their running loss-slice jobs `stopped` (default true).
   */
  recover?: boolean;
  busyTimeoutMs?: number;
  /** What this process is, recorded as the owner of the runs it queues and runs (default 'cli'). */
  ownerKind?: OwnerKind;
}

/** Opens (creating if needed) the database at `path`; ':memory:' gives a private in-memory one. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const db = openDatabase(
    path,
    options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
  );
  try {
    const store = new Store(db, options.ownerKind ?? 'cli');
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
  private readonly table: RunTableRepo;
  private readonly edits: RunEditsRepo;
  private readonly footprints: RunFootprintRepo;
  private readonly throughput: ThroughputRepo;
  private readonly writers = new Set<PointWriter>();

  /** Use openStore; `db` must have been opened by openDatabase. */
  constructor(
    private readonly db: Database.Database,
    readonly ownerKind: OwnerKind = 'cli',
  ) {
    this.path = db.name;
    this.runs = new RunsRepo(db, ownerKind);
    this.table = new RunTableRepo(db);
    this.edits = new RunEditsRepo(db);
    this.footprints = new RunFootprintRepo(db);
    this.throughput = new ThroughputRepo(db);
    this.series = new SeriesRepo(db, this.runs);
    this.buckets = new BucketReader(db);
    this.checkpoints = new CheckpointsRepo(db);
    this.log = new RunLogRepo(db);
    this.probeRecords = new ProbeRecordsRepo(db);
    this.sliceJobs = new SliceJobsRepo(db);
  }

  // Runs

  /** Adds a `queued` run owned by this process (with its tags, if given); returns its id. */
  createRun(config: ExperimentConfig, meta: CreateRunMeta = {}): string {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const id = this.runs.create(config, meta);
          if (meta.tags) this.edits.apply(id, { tags: meta.tags });
          return id;
        })
        .immediate(),
    );
  }

  /** Runs `fn` in one write transaction (many creations or edits in one commit). */
  batch<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
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

  /** Who owns the run while it is queued, running or paused (all null otherwise). */
  getRunOwner(id: string): RunOwner | undefined {
    return this.runs.ownerOf(id);
  }

  /** One page of the runs table (runTable.ts) and the number of runs the query matches. */
  queryRuns(query: RunTableQuery): { total: number; rows: RunRow[] } {
    return this.table.list(query);
  }

  /** The run as a row of the runs table. */
  getRunRow(id: string): RunRow | undefined {
    return this.table.row(id);
  }

  /** Every tag in use, with how many runs carry it. */
  tagCounts(): { tag: string; count: number }[] {
    return this.table.tags();
  }

  /** Renames the run, replaces its tags or its notes (one transaction). */
  editRun(id: string, edit: RunEdit): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          this.runs.require(id);
          this.edits.apply(id, edit);
        })
        .immediate(),
    );
  }

  /** The newest stored measurement of how fast this machine trains such a network (throughputSamples.ts). */
  throughputSample(match: ThroughputMatch): ThroughputSample | undefined {
    return this.throughput.latest(match);
  }

  /** Whether the database holds no run at all. */
  isEmpty(): boolean {
    return this.runs.list({ limit: 1 }).length === 0;
  }

  /** What the runs hold: points, probe records, checkpoints (and their bytes), loss slices. */
  runFootprint(ids: readonly string[]): RunFootprint {
    return this.footprints.of(ids);
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
   * Marks `interrupted` the runs left queued, running or paused by a process that no longer exists
   * (see processOwner.ts), logging why; returns their ids. The queued runs of a dead app or serve are
   * left queued for the next one to adopt (adoptQueuedRuns). openStore calls it.
   */
  recoverInterrupted(options: { force?: boolean } = {}): string[] {
    return this.interruptOrphans(
      this.runs.findOrphaned(options).filter((run) => RunsRepo.interruptsOnRecovery(run)),
    );
  }

  /**
   * Makes the run recoverable now if its owner is gone, whatever its status (a queued run of a dead
   * app included): marks it `interrupted`. True if it did; false if the run is not live or its owner
   * is alive.
   */
  recoverRun(id: string): boolean {
    const orphan = this.runs.findOrphaned().find((run) => run.id === id);
    return orphan ? this.interruptOrphans([orphan]).length > 0 : false;
  }

  /**
   * Takes into this process the queued runs whose app or serve owner is gone, oldest first, and
   * returns their ids; only an app or serve adopts (a CLI's store returns none).
   */
  adoptQueuedRuns(): string[] {
    if (this.ownerKind === 'cli') return [];
    const orphans = this.runs.findOrphaned().filter((run) => !RunsRepo.interruptsOnRecovery(run));
    if (orphans.length === 0) return [];
    return this.guard(() =>
      this.db
        .transaction(() =>
          orphans.flatMap((run) => {
            if (!this.runs.claim(run)) return [];
            this.log.append(
              run.id,
              'info',
              `Adopted into the queue of this ${this.ownerKind === 'electron' ? 'app' : 'server'} (the process that queued it ended).`,
            );
            return [run.id];
          }),
        )
        .immediate(),
    );
  }

  /** Whether the run's owner (if it has one) is a live process other than this one. */
  ownedElsewhere(id: string): boolean {
    const owner = this.runs.ownerOf(id);
    if (!owner || owner.pid === null) return false;
    const self = currentOwner();
    if (owner.pid === self.pid && owner.host === self.host) return false;
    return isOwnerAlive(owner);
  }

  private interruptOrphans(orphans: readonly OrphanedRun[]): string[] {
    if (orphans.length === 0) return [];
    return this.guard(() =>
      this.db
        .transaction(() =>
          orphans.flatMap((run) => {
            // Re-checked under the write lock: another process may have recovered or resumed it.
            if (!this.runs.interrupt(run)) return [];
            const lastStep = this.runs.get(run.id)?.lastStep ?? 'unknown';
            const what = run.status === 'queued' ? 'had queued it' : 'was running it';
            this.log.append(
              run.id,
              'warn',
              `Interrupted: the process that ${what} ended (last step ${lastStep}). Resume it from its latest checkpoint.`,
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

  /** The run's series that hold points, by name, with their summaries (no point is read). */
  listSeriesStats(runId: string): SeriesStats[] {
    return this.series.stats(runId);
  }

  /**
   * A series over [fromStep, toStep] for a chart `width` pixels wide: the first point in the range as
   * a bucket of its own, then at most width - 1 equal-width buckets over the rest (buckets.ts), so the
   * first and the last point are always among what is drawn; and how many points the range holds.
   */
  readChartSeries(
    runId: string,
    name: string,
    width: number,
    range: StepRange = {},
  ): { points: number; buckets: SeriesBucket[] } {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return { points: 0, buckets: [] };
    const { points, firstStep } = this.series.rangeInfo(sid, range);
    if (points === 0 || firstStep === undefined) return { points: 0, buckets: [] };
    const first = this.buckets.read(sid, 1, firstStep, firstStep);
    const rest = this.buckets.read(sid, Math.max(1, width - 1), firstStep + 1, range.toStep);
    return { points, buckets: [...first, ...rest] };
  }

  /** Every point of a series in the step range (empty if none). */
  readSeries(runId: string, name: string, range: StepRange = {}): SeriesData {
    return this.series.read(runId, name, range);
  }

  /**
   * The series downsampled into `buckets` equal-width step buckets over [fromStep, toStep] (default:
   * its whole range): per non-empty bucket min, max (finite values only) and last value, with steps.
   * See buckets.ts; `source` 'raw' scans the points instead of the level-of-detail blocks (same
   * result, slower: for tests and the benchmark).
   */
  readSeriesBuckets(
    runId: string,
    name: string,
    buckets: number,
    range: StepRange = {},
    source: BucketSource = 'lod',
  ): SeriesBucket[] {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return [];
    return this.buckets.read(sid, buckets, range.fromStep, range.toStep, source);
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

  /** Per probe: how many records the run has, over which steps, and how many say it could not run. */
  probeSummary(runId: string): ProbeSummary[] {
    this.runs.require(runId);
    return this.probeRecords.summary(runId);
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

  /** Appends a line to the run's log and returns it as stored. */
  appendLogEntry(runId: string, level: RunLogLevel, message: string, data?: unknown): RunLogEntry {
    return this.guard(() => this.log.appendEntry(runId, level, message, data));
  }

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

  // Reads for compare views and figures (api/figures)

  /**
   * How many points of a series lie in the step range, and the first step among them (undefined if
   * none, or no such series): what readChartSeries counts, for callers that fix the buckets themselves.
   */
  seriesRangeInfo(
    runId: string,
    name: string,
    range: StepRange = {},
  ): { points: number; firstStep: number | undefined } {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return { points: 0, firstStep: undefined };
    return this.series.rangeInfo(sid, range);
  }

  /**
   * The series over the step range (default: its whole range) in at most `maxBuckets` (>= 3) buckets
   * aligned to its level-of-detail blocks, one to three stored rows each (blockBuckets.ts): the first
   * point alone, then buckets of a width chosen by the range, whose boundaries are multiples of it, so
   * series read over the same range with the same maxBuckets line up; every point alone when the range
   * holds at most perPointUpTo (default maxBuckets). No such series: no buckets.
   */
  readBlockBuckets(
    runId: string,
    name: string,
    maxBuckets: number,
    range: StepRange = {},
    options: Partial<BlockBucketOptions> = {},
  ): BlockBuckets {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return { points: 0, width: 1, perPoint: true, buckets: [] };
    this.blockReader ??= new BlockBucketReader(this.db);
    return this.blockReader.read(sid, maxBuckets, range.fromStep, range.toStep, options);
  }

  private blockReader: BlockBucketReader | undefined;

  /** When each of `steps` of the series was written (ms since the epoch); NaN where it has no point. */
  readSeriesTimes(runId: string, name: string, steps: readonly number[]): Float64Array {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return new Float64Array(steps.length).fill(Number.NaN);
    return this.seriesTimes().at(sid, steps);
  }

  /**
   * The steps of the series' first and last point written within [fromMs, toMs] (ms since the epoch),
   * by binary search over steps (time grows with step, see seriesTimes.ts); undefined if none was.
   */
  seriesStepRangeForTimes(runId: string, name: string, fromMs: number, toMs: number): StepRange | undefined {
    const sid = this.series.seriesId(runId, name);
    if (sid === undefined) return undefined;
    return this.seriesTimes().stepRange(sid, fromMs, toMs);
  }

  private timesReader: SeriesTimesReader | undefined;
  private seriesTimes(): SeriesTimesReader {
    return (this.timesReader ??= new SeriesTimesReader(this.db));
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
