/**
 * The one implementation of NormLab's API, over the store and the runs layer. Every host (CLI,
 * Electron, serve) calls this; none has logic of its own.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExperimentConfig } from '../../shared/config';
import { applyOverrides, formatIssues, parseExperiment, type JsonObject } from '../../shared/configOverrides';
import { UserError } from '../../shared/errors';
import type { ProbeName } from '../../shared/probes';
import type {
  CheckpointInfo,
  RunRecord,
  RunStatus,
  SeriesSummary,
  StoredProbeRecord,
} from '../../shared/runTypes';
import { FIGURES, findFigure, type Figure } from '../../shared/figures';
import { findPreset, PRESETS, type Preset } from '../../shared/presets';
import { openStore, type ProbeRecordFilter, type Store } from '../store';
import { startSlice, type ActiveSlice, type SliceEvent } from '../runs/sliceRunner';

export type { ActiveSlice, SliceEvent, SliceResult } from '../runs/sliceRunner';
import { sliceSettingsSchema, type SliceJob, type SlicePoint } from '../../shared/slices';
import { CIFAR10_FOLDER, downloadCifar10 } from '../runs/datasets/cifar10Download';
import {
  RunManager,
  type ActiveRun,
  type RunListener,
  type RunManagerOptions,
  type RunResult,
} from '../runs/runManager';

export type { ActiveRun, RunListener, RunResult };
import { defaultLocations, type Locations } from './locations';
import { readSettings, setSetting, type Settings } from './settings';

export interface ApiOptions {
  /** Database file; default: the `db` setting, else `<data dir>/normlab.sqlite`. */
  db?: string;
  env?: NodeJS.ProcessEnv;
  runs?: RunManagerOptions;
}

export interface RunRequest {
  preset?: string;
  /** A JSON experiment file. */
  configFile?: string;
  /** `key=value` overrides, applied in order after the preset or file. */
  set?: string[];
  backend?: string;
  /** CIFAR-10 folder for this run. */
  dataDir?: string;
}

export interface FigureRunConfig {
  /** The run's preset name, FIGURE/LABEL. */
  name: string;
  config: ExperimentConfig;
}

export interface SeriesStats extends SeriesSummary {
  min: number | null;
  max: number | null;
  last: number | null;
}

/** What a run's probe records hold, per probe (the records themselves: NormLabApi.probeRecords). */
export interface ProbeSummary {
  probe: ProbeName;
  records: number;
  firstStep: number;
  lastStep: number;
  /** Steps where the probe could not be computed, and the last reason given. */
  errors: number;
  lastError: string | null;
}

export interface RunDetail {
  run: RunRecord;
  series: SeriesStats[];
  probes: ProbeSummary[];
  /** Loss slices taken at the run's checkpoints (points: slicePoints). */
  slices: SliceJob[];
  checkpoints: CheckpointInfo[];
}

export class NormLabApi {
  readonly locations: Locations;
  readonly dbPath: string;
  private readonly store: Store;
  private readonly runs: RunManager;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: ApiOptions = {}) {
    this.env = options.env ?? process.env;
    this.locations = defaultLocations(this.env);
    const settings = readSettings(this.locations.settingsFile);
    this.dbPath = resolve(options.db ?? settings.db ?? this.locations.defaultDb);
    this.store = openStore(this.dbPath);
    this.runs = new RunManager(this.store, options.runs ?? {});
  }

  close(): void {
    this.store.close();
  }

  // ---- experiments -------------------------------------------------------------------------

  presets(): readonly Preset[] {
    return PRESETS;
  }

  figures(): readonly Figure[] {
    return FIGURES;
  }

  /**
   * The configs of every run of a figure (`fig4-cpu`), each built as buildConfig builds a preset's
   * (the overrides apply to every run), validated all before any starts.
   */
  buildFigureConfigs(name: string, req: Omit<RunRequest, 'preset' | 'configFile'>): FigureRunConfig[] {
    const figure = findFigure(name);
    if (!figure) {
      throw new UserError(
        'usage',
        `unknown figure "${name}"; the figures are: ${FIGURES.map((f) => f.name).join(', ')}`,
      );
    }
    return figure.runs.map((r) => ({ name: r.name, config: this.buildConfig({ ...req, preset: r.name }) }));
  }

  /** The validated config a request describes, with the dataset folder resolved and checked. */
  buildConfig(req: RunRequest): ExperimentConfig {
    if (Boolean(req.preset) === Boolean(req.configFile)) {
      throw new UserError(
        'usage',
        'give exactly one of --preset NAME or --config FILE (see `normlab presets`)',
      );
    }
    let base: JsonObject;
    let origin: string;
    if (req.preset) {
      const preset = findPreset(req.preset);
      if (!preset) {
        throw new UserError(
          'usage',
          `unknown preset "${req.preset}"; the presets are: ${PRESETS.map((p) => p.name).join(', ')}`,
        );
      }
      base = preset.config as JsonObject;
      origin = `preset ${preset.name}`;
    } else {
      base = readConfigFile(req.configFile as string);
      origin = `config file ${req.configFile}`;
    }
    const overrides = [...(req.set ?? [])];
    if (req.backend) overrides.push(`backend=${req.backend}`);
    const config = parseExperiment(
      applyOverrides(base, overrides),
      overrides.length ? `${origin} with your overrides` : origin,
    );
    if (config.data.dataset === 'cifar10')
      config.data.dir = this.resolveCifarDir(req.dataDir ?? config.data.dir);
    return config;
  }

  /**
   * CIFAR-10's folder: --data, the config's data.dir, the `cifar10Dir` setting, then the data
   * directory's cifar-10-batches-bin (where `normlab data get cifar10` puts it).
   */
  resolveCifarDir(explicit: string | undefined): string {
    const setting = this.settings().cifar10Dir;
    const { dir, from } = explicit
      ? { dir: resolve(explicit), from: '--data / data.dir' }
      : setting
        ? { dir: setting, from: 'the cifar10Dir setting' }
        : { dir: join(this.locations.dataDir, CIFAR10_FOLDER), from: 'the default location' };
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(
        'data-missing',
        `CIFAR-10 was not found at ${dir} (${from}). Download it with \`normlab data get cifar10\`, or, if you ` +
          'have the binary version (cifar-10-batches-bin, from https://www.cs.toronto.edu/~kriz/cifar.html), ' +
          'point NormLab at it with --data DIR or `normlab settings set cifar10Dir DIR`.',
      );
    }
    return dir;
  }

  // ---- runs --------------------------------------------------------------------------------

  /** Creates the run and starts it; `meta` names it or puts it in a sweep (a figure's runs). */
  startRun(
    config: ExperimentConfig,
    listener: RunListener,
    meta: { name?: string; sweepId?: string } = {},
  ): ActiveRun {
    const runId = this.store.createRun(config, meta);
    return this.runs.start(runId, config, listener);
  }

  /** Continues an interrupted, stopped or failed run from its latest checkpoint. */
  resumeRun(runId: string, listener: RunListener): ActiveRun {
    const run = this.getRunRecord(runId);
    if (run.status === 'completed')
      throw new UserError('usage', `run ${runId} already completed all its steps`);
    if (run.status === 'running' || run.status === 'queued' || run.status === 'paused') {
      throw new UserError('usage', `run ${runId} is ${run.status} in another process; stop it there first`);
    }
    const ckpt = this.store.getLatestCheckpoint(run.id);
    if (!ckpt) {
      throw new UserError(
        'checkpoint',
        `run ${runId} has no checkpoint to resume from; start it again with \`normlab run --config\` (its config is in \`normlab show ${runId} --json\`)`,
      );
    }
    const config = this.storedConfig(run);
    this.store.setStatus(run.id, 'queued');
    return this.runs.start(run.id, config, listener, { step: ckpt.step, bytes: ckpt.bytes });
  }

  listRuns(filter: { status?: RunStatus; limit?: number } = {}): RunRecord[] {
    return this.store.listRuns(filter);
  }

  getRunRecord(runId: string): RunRecord {
    const run = this.store.getRun(runId);
    if (!run)
      throw new UserError(
        'not-found',
        `no run "${runId}" in ${this.dbPath}; \`normlab list\` shows the runs`,
      );
    return run;
  }

  runDetail(runId: string): RunDetail {
    const run = this.getRunRecord(runId);
    const series = this.store.listSeries(run.id).map((s): SeriesStats => {
      // One bucket spanning the whole series: its min, max and last value, computed in SQL.
      const [all] = this.store.readSeriesBuckets(run.id, s.name, 1);
      return { ...s, min: all?.min ?? null, max: all?.max ?? null, last: all?.last ?? null };
    });
    return {
      run,
      series,
      probes: summarizeProbes(this.store.listProbeRecords(run.id)),
      slices: this.store.listSliceJobs(run.id),
      checkpoints: this.store.listCheckpoints(run.id),
    };
  }

  /** A run's structured probe results by step (histograms, per-eta landscape points, per-unit terms). */
  probeRecords(runId: string, filter: ProbeRecordFilter = {}): StoredProbeRecord[] {
    const run = this.getRunRecord(runId);
    return this.store.listProbeRecords(run.id, filter);
  }

  /** Every stored point of a run, ordered by series and step (a generator: runs can be large). */
  exportRows(runId: string): ReturnType<Store['exportMetrics']> {
    const run = this.getRunRecord(runId);
    return this.store.exportMetrics(run.id);
  }

  // ---- loss slices -------------------------------------------------------------------------

  /**
   * Starts a loss-slice job at run `runId`'s checkpoint `step` (default: its latest). `settings` is
   * what a user typed (shared/slices.ts sliceSettingsSchema); nothing is created unless it is valid
   * and the checkpoint exists.
   */
  startSlice(
    runId: string,
    request: { step?: number; settings: unknown },
    listener: (event: SliceEvent) => void,
  ): ActiveSlice {
    const run = this.getRunRecord(runId);
    const parsed = sliceSettingsSchema.safeParse(request.settings);
    if (!parsed.success) {
      throw new UserError('usage', `invalid slice settings:\n${formatIssues(parsed.error)}`);
    }
    const ckpt = this.checkpointFor(run.id, request.step);
    const config = this.storedConfig(run);
    const jobId = this.store.createSliceJob(run.id, ckpt.step, parsed.data);
    return startSlice(this.store, jobId, config, ckpt.bytes, listener);
  }

  /** Continues a stopped or failed slice job with the grid points it lacks. */
  resumeSlice(jobId: string, listener: (event: SliceEvent) => void): ActiveSlice {
    const job = this.getSliceJob(jobId);
    if (job.status === 'completed') throw new UserError('usage', `slice ${jobId} is complete`);
    if (job.status === 'running') {
      throw new UserError('usage', `slice ${jobId} is running in another process; stop it there first`);
    }
    const run = this.getRunRecord(job.runId);
    const ckpt = this.checkpointFor(run.id, job.step);
    return startSlice(this.store, job.id, this.storedConfig(run), ckpt.bytes, listener);
  }

  listSlices(runId: string): SliceJob[] {
    const run = this.getRunRecord(runId);
    return this.store.listSliceJobs(run.id);
  }

  getSliceJob(jobId: string): SliceJob {
    const job = this.store.getSliceJob(jobId);
    if (!job) {
      throw new UserError(
        'not-found',
        `no loss slice "${jobId}" in ${this.dbPath}; \`normlab slices RUN\` lists a run's slices`,
      );
    }
    return job;
  }

  slicePoints(jobId: string): SlicePoint[] {
    return this.store.readSlicePoints(this.getSliceJob(jobId).id);
  }

  private checkpointFor(runId: string, step: number | undefined): { step: number; bytes: Uint8Array } {
    const ckpt =
      step === undefined ? this.store.getLatestCheckpoint(runId) : this.store.getCheckpoint(runId, step);
    if (!ckpt) {
      const steps = this.store.listCheckpoints(runId).map((c) => c.step);
      throw new UserError(
        'checkpoint',
        steps.length === 0
          ? `run ${runId} has no checkpoint yet; a slice needs stored weights`
          : `run ${runId} has no checkpoint at step ${step}; it has checkpoints at steps ${steps.join(', ')} ` +
              '(schedule.keepCheckpoints keeps the newest ones)',
      );
    }
    return ckpt;
  }

  private storedConfig(run: RunRecord): ExperimentConfig {
    const config = parseExperiment(run.config, `the stored config of run ${run.id}`);
    if (config.data.dataset === 'cifar10') this.resolveCifarDir(config.data.dir);
    return config;
  }

  // ---- machine -----------------------------------------------------------------------------

  settings(): Settings {
    return readSettings(this.locations.settingsFile);
  }

  setSetting(key: string, value: string | undefined): Settings {
    return setSetting(this.locations.settingsFile, key, value);
  }

  downloadCifar10(
    onProgress: (received: number, total: number | undefined) => void,
    source: { signal?: AbortSignal; url?: string; md5?: string } = {},
  ): Promise<string> {
    return downloadCifar10({ dataDir: this.locations.dataDir, onProgress, ...source });
  }
}

function readConfigFile(path: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      'config',
      `cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError('config', `the config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError('config', `the config file ${path} must hold a JSON object (an experiment)`);
  }
  return value as JsonObject;
}

function summarizeProbes(records: readonly StoredProbeRecord[]): ProbeSummary[] {
  const byProbe = new Map<ProbeName, ProbeSummary>();
  for (const r of records) {
    const s = byProbe.get(r.probe) ?? {
      probe: r.probe,
      records: 0,
      firstStep: r.step,
      lastStep: r.step,
      errors: 0,
      lastError: null,
    };
    s.records++;
    s.firstStep = Math.min(s.firstStep, r.step);
    s.lastStep = Math.max(s.lastStep, r.step);
    if (typeof r.data.error === 'string') {
      s.errors++;
      s.lastError = r.data.error;
    }
    byProbe.set(r.probe, s);
  }
  return [...byProbe.values()];
}
