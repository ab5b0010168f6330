/**
 * The plan's time on this machine: each run's estimate from stored throughput (estimates.ts), else
 * from a calibration of its kind (calibrate.ts, `--plan --calibrate`), and the total of those that
 * have one. A stored run of the kind wins: it timed a whole run, a calibration a few steps. There is
 * no FLOP-count fallback: converting FLOPs to seconds needs this machine's achieved FLOP rate for the
 * network, which is exactly the measurement that is missing, so a run without either has a null
 * estimate and the reason, and the total says how many runs it leaves out. Runs already done cost
 * nothing; resumable ones are counted in full (their checkpoint may be far from the step they reached).
 *
 * A calibrated run of S steps costs what a run's loop does (engine/training/remainingWork.ts at step 0):
 *
 *   seconds = start-up + warm-up + S t_step + sum_p calls_p t_p + n_test t_test + n_ckpt t_ckpt
 *
 * start-up (worker, backend, data) and warm-up (first calls beyond their steady cost) once per run;
 * calls_p = probeCalls(every_p, S) (step 1 and every multiple); n_test = step 0, every multiple of
 * testMetricsEvery and step S when it is not one; n_ckpt = every multiple of checkpointEvery below S,
 * and one at the end.
 */
import type { Threads } from '../../../shared/api';
import type { ExperimentConfig } from '../../../shared/config';
import type { ProbeName } from '../../../shared/probes';
import type { Store } from '../../store';
import { estimate, probeCadences, probeCalls, type Estimate } from '../estimates';
import type { ReproPlan } from './plan';
import type { PlannedRunStatus } from './planStatus';
import { canonicalJson } from './runKey';

export interface RunEstimate {
  key: string;
  estimateSec: number | null;
  basis: string;
}

export interface PlanEstimate {
  runs: RunEstimate[];
  /** Seconds over the runs that have an estimate and are not done. */
  knownSec: number;
  /** Runs still to train whose estimate is null. */
  unknownRuns: number;
  /** knownSec when every run still to train has an estimate, else null. */
  totalSec: number | null;
}

/** What a calibration measured for one kind of run on this machine, in seconds. */
export interface Calibration {
  /** The backend the timing trained on (what `auto` chose) and its wasm threads (null: not wasm). */
  backend: string;
  threads: number | null;
  /** Worker, backend and data, until the run starts its loop. */
  startupSec: number;
  /** What the first evaluation and steps cost beyond their steady cost. */
  warmupSec: number;
  /** A training step without probes or evaluation. */
  stepSec: number;
  /** Each probe's time per call. */
  probeSec: Partial<Record<ProbeName, number>>;
  /** A test evaluation over the kind's test images; null when the kind evaluates none. */
  testPassSec: number | null;
  checkpointSec: number;
  /** Runs that were training in this process while it measured (its times are then too long). */
  busyWith: number;
}

/** A kind's calibration, or why it could not be measured. */
export type CalibrationEntry = { calibration: Calibration } | { error: string };

export interface PlanCalibrations {
  /** By calibrationKind: calibrate.ts's calibrationsFor(dbPath). */
  table: ReadonlyMap<string, CalibrationEntry>;
  /** The wasm threads runs are started with (absent: their default), as calibratePlan was given. */
  threads?: Threads | undefined;
}

/**
 * What a run's time depends on, so runs equal in it share one calibration: the backend it trains on
 * (`preferredBackend` when its config says auto) with the thread count asked for, the model, the data
 * (its folder aside), the batch sizes, the optimizer (its update's cost, not its rates), whether it
 * evaluates, and each probe it runs with the settings that change a call's cost (its cadence aside).
 */
export function calibrationKind(
  config: ExperimentConfig,
  preferredBackend?: string,
  threads?: Threads,
): string {
  const probes: Record<string, unknown> = {};
  for (const [name] of probeCadences(config)) {
    const settings: Record<string, unknown> = { ...config.probes[name] };
    delete settings.every;
    probes[name] = settings;
  }
  const { schedule, optimizer } = config;
  return canonicalJson({
    backend: config.backend !== 'auto' ? config.backend : (preferredBackend ?? 'auto'),
    threads: threads ?? 'default',
    model: config.model,
    data: { ...config.data, dir: '' },
    batchSize: schedule.batchSize,
    testBatchSize: schedule.testBatchSize,
    evaluates: schedule.testMetricsEvery > 0,
    optimizer: { name: optimizer.name, nesterov: optimizer.nesterov },
    probes,
  });
}

/** Test evaluations of a run (remainingWork.ts's count from step 0 of a fresh run). */
export function testPasses(config: ExperimentConfig): number {
  const { steps, testMetricsEvery: every } = config.schedule;
  if (every <= 0) return 0;
  return 1 + Math.floor(steps / every) + (steps % every === 0 ? 0 : 1);
}

/** Checkpoints a run writes: every checkpointEvery-th step before the last, and one at the end. */
export function checkpointsWritten(config: ExperimentConfig): number {
  const { steps, checkpointEvery: every } = config.schedule;
  return (every > 0 ? Math.floor((steps - 1) / every) : 0) + 1;
}

/** Two significant digits, for a basis text. */
const sig = (x: number): string => String(Number(x.toPrecision(2)));

function calibratedEstimate(config: ExperimentConfig, c: Calibration): Estimate {
  const { steps } = config.schedule;
  let sec = c.startupSec + c.warmupSec + steps * c.stepSec;
  const probeParts: string[] = [];
  const unmeasured: string[] = [];
  for (const [name, every] of probeCadences(config)) {
    const perCall = c.probeSec[name];
    if (perCall === undefined) {
      unmeasured.push(name);
      continue;
    }
    const calls = probeCalls(every, steps);
    sec += calls * perCall;
    probeParts.push(`${name} ${sig(perCall)} s x ${calls}`);
  }
  const tests = c.testPassSec === null ? 0 : testPasses(config);
  sec += tests * (c.testPassSec ?? 0);
  const checkpoints = checkpointsWritten(config);
  sec += checkpoints * c.checkpointSec;

  const on = `${c.backend}${c.threads !== null ? ` (${c.threads} thread${c.threads === 1 ? '' : 's'})` : ''}`;
  const parts = [`calibrated here: ${sig(1 / c.stepSec)} steps/s on ${on}`];
  if (probeParts.length > 0) parts.push(`probes per call ${probeParts.join(', ')}`);
  if (tests > 0) parts.push(`${tests} test passes of ${sig(c.testPassSec ?? 0)} s`);
  parts.push(`${checkpoints} checkpoint(s) of ${sig(c.checkpointSec)} s`);
  parts.push(`start-up ${sig(c.startupSec + c.warmupSec)} s`);
  if (unmeasured.length > 0) {
    parts.push(
      `not counted: the ${unmeasured.join(', ')} probe(s), which recorded no time in the calibration`,
    );
  }
  if (c.busyWith > 0) parts.push(`measured while ${c.busyWith} run(s) trained here, so likely too long`);
  return { estimateSec: sec, estimateBasis: parts.join('; ') };
}

/** A run's estimate: from the newest stored run of its kind, else its kind's calibration. */
function runEstimate(
  store: Store,
  config: ExperimentConfig,
  preferredBackend: string | undefined,
  calibrations: PlanCalibrations | undefined,
): Estimate {
  const stored = estimate(store, config, preferredBackend);
  if (stored.estimateSec !== null || !calibrations) return stored;
  const entry = calibrations.table.get(calibrationKind(config, preferredBackend, calibrations.threads));
  if (!entry) return stored;
  if ('error' in entry) {
    return {
      estimateSec: null,
      estimateBasis: `${stored.estimateBasis}; its calibration failed: ${entry.error}`,
    };
  }
  return calibratedEstimate(config, entry.calibration);
}

export function estimatePlan(
  store: Store,
  plan: ReproPlan,
  statuses?: readonly PlannedRunStatus[],
  preferredBackend?: string,
  calibrations?: PlanCalibrations,
): PlanEstimate {
  const done = new Set((statuses ?? []).filter((s) => s.state === 'done').map((s) => s.key));
  let knownSec = 0;
  let unknownRuns = 0;
  const runs = plan.runs.map((run): RunEstimate => {
    if (done.has(run.key)) return { key: run.key, estimateSec: 0, basis: 'done: a stored run is reused' };
    const e = runEstimate(store, run.config, preferredBackend, calibrations);
    if (e.estimateSec === null) unknownRuns++;
    else knownSec += e.estimateSec;
    return { key: run.key, estimateSec: e.estimateSec, basis: e.estimateBasis };
  });
  return { runs, knownSec, unknownRuns, totalSec: unknownRuns === 0 ? knownSec : null };
}
