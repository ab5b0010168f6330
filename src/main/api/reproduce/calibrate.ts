/**
 * `normlab reproduce --plan --calibrate`: times, on this machine, each kind of run the plan still has
 * to train and has no stored run to be estimated from (planEstimate.ts's calibrationKind), so that
 * the plan's estimate covers every run before anything has run. Each kind is timed for a few steps in
 * an engine worker, as a run trains (runs/runKindTiming.ts: its backend, thread count, data and loop),
 * one kind at a time (two timings at once would slow each other).
 *
 * The calibrations live in memory, per database, for the life of the process: the Reproduction view
 * and a `--plan --calibrate` followed by the start in one process read them (estimatePlan with
 * calibrationsFor(dbPath)); a new process measures again. A kind that could not be timed keeps the
 * reason (shown in its runs' basis) and is timed again by the next calibratePlan.
 *
 * The timing evaluates one test batch (at most testBatchSize of the run's test images) and scales the
 * time to the run's test images: an evaluation is a forward pass per test batch, linear in the images.
 * A batch of the run's own size has the run's kernels and shapes; fewer images would save a second
 * per kind but multiply the evaluation's first-call share by the scale.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Threads } from '../../../shared/api';
import { cifar10RecordCount } from '../../../shared/cifar10Checks';
import type { BackendName, ExperimentConfig } from '../../../shared/config';
import type { ProbeName } from '../../../shared/probes';
import type { RunManager } from '../../runs/runManager';
import { timeRunKind, type RunKindTiming } from '../../runs/runKindTiming';
import { requireCifar10 } from '../cifar10Location';
import type { ServiceContext } from '../serviceContext';
import type { ReproPlan } from './plan';
import { calibrationKind, estimatePlan, type Calibration, type CalibrationEntry } from './planEstimate';
import type { PlannedRunStatus } from './planStatus';

/** What a calibration reads of the service (a ServiceContext has it all). */
export type CalibrationContext = Pick<
  ServiceContext,
  'store' | 'dbPath' | 'places' | 'workerEntry' | 'settings'
> & {
  runs: Pick<RunManager, 'activeRunIds'>;
};

export interface CalibrateOptions {
  /** The backend the runs would use (default: the defaultBackend setting, else auto). */
  backend?: BackendName | undefined;
  /** The wasm threads the runs would be started with (default: theirs). */
  threads?: Threads | undefined;
  /** The CIFAR-10 folder the runs would read (default: the setting, then the data directory). */
  dataDir?: string | undefined;
}

/** database path -> calibrationKind -> its calibration. */
const calibrations = new Map<string, Map<string, CalibrationEntry>>();
/** Timings under way, by database path and kind: a second caller waits for the first's. */
const pending = new Map<string, Promise<CalibrationEntry>>();
/** The last timing started: each waits for it, so timings never overlap. */
let queue: Promise<unknown> = Promise.resolve();

function tableOf(dbPath: string): Map<string, CalibrationEntry> {
  let table = calibrations.get(dbPath);
  if (!table) calibrations.set(dbPath, (table = new Map()));
  return table;
}

/** The calibrations of this process for a database, for estimatePlan. */
export function calibrationsFor(dbPath: string): ReadonlyMap<string, CalibrationEntry> {
  return tableOf(dbPath);
}

/** Forgets every calibration of a database (tests; a machine whose load changed). */
export function forgetCalibrations(dbPath: string): void {
  calibrations.delete(dbPath);
}

/** Test images of the run's CIFAR-10 folder that its evaluations read (testLimit: the first N). */
function runTestImages(config: ExperimentConfig): number {
  const path = join(config.data.dir, config.data.testFile);
  const inFile = cifar10RecordCount(path, statSync(path).size);
  return config.data.testLimit > 0 ? Math.min(config.data.testLimit, inFile) : inFile;
}

function toCalibration(t: RunKindTiming, testScale: number, busyWith: number): Calibration {
  const probeSec: Partial<Record<ProbeName, number>> = {};
  for (const [name, ms] of Object.entries(t.probeMs) as [ProbeName, number][]) probeSec[name] = ms / 1000;
  const threads = t.backend.details.threadsCount;
  return {
    backend: t.backend.name,
    threads: typeof threads === 'number' ? threads : null,
    startupSec: t.startupMs / 1000,
    warmupSec: t.warmupMs / 1000,
    stepSec: t.stepMs / 1000,
    probeSec,
    testPassSec: t.evalMs === null ? null : (t.evalMs * testScale) / 1000,
    checkpointSec: t.checkpointMs / 1000,
    busyWith,
  };
}

/** Times one kind of run: `config` (one of its runs) as the plan would start it. */
async function timeKind(
  ctx: CalibrationContext,
  config: ExperimentConfig,
  options: CalibrateOptions,
): Promise<CalibrationEntry> {
  try {
    // As startReproduction starts it: on the backend asked for, CIFAR-10 from the folder given, else
    // the setting or the default folder.
    const run: ExperimentConfig = {
      ...config,
      ...(config.backend === 'auto' && options.backend !== undefined ? { backend: options.backend } : {}),
    };
    let testLimit: number | undefined;
    let testScale = 1;
    if (config.data.dataset === 'cifar10') {
      run.data = {
        ...config.data,
        dir: requireCifar10(options.dataDir ?? (config.data.dir || undefined), ctx.places, config.data),
      };
      const images = runTestImages(run);
      if (config.schedule.testMetricsEvery > 0 && images > 0) {
        testLimit = Math.min(images, config.schedule.testBatchSize);
        testScale = images / testLimit;
      }
    }
    const busyWith = ctx.runs.activeRunIds().length;
    const timing = await timeRunKind(run, {
      threads: options.threads,
      workerEntry: ctx.workerEntry,
      testLimit,
    });
    return { calibration: toCalibration(timing, testScale, busyWith) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Times each kind of run of `plan` that is not done and has no estimate from a stored run, unless
 * this process has timed it already; the results go to calibrationsFor(ctx.dbPath).
 */
export async function calibratePlan(
  ctx: CalibrationContext,
  plan: ReproPlan,
  statuses: readonly PlannedRunStatus[],
  options: CalibrateOptions,
): Promise<void> {
  const backend = options.backend ?? ctx.settings().defaultBackend;
  const table = tableOf(ctx.dbPath);
  const stored = estimatePlan(ctx.store, plan, statuses, backend);
  const kinds = new Map<string, ExperimentConfig>();
  plan.runs.forEach((run, k) => {
    // Done runs estimate to 0 s: only runs left to train without a stored basis are null.
    if (stored.runs[k]?.estimateSec !== null) return;
    const kind = calibrationKind(run.config, backend, options.threads);
    if (!kinds.has(kind) && !('calibration' in (table.get(kind) ?? {}))) kinds.set(kind, run.config);
  });
  for (const [kind, config] of kinds) {
    const id = `${ctx.dbPath}\n${kind}`;
    let timing = pending.get(id);
    if (!timing) {
      const job = queue.then(() => timeKind(ctx, config, { ...options, backend }));
      queue = job;
      timing = job.finally(() => pending.delete(id));
      pending.set(id, timing);
    }
    table.set(kind, await timing);
  }
}
