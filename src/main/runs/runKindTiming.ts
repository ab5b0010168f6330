/**
 * Times one kind of run on this machine the way a run trains: the engine worker's own `train` command
 * (the same backend start, wasm thread choice, data loading and training loop as a run, so nothing
 * here can drift from what a run does) on a copy of the run's config whose cadences are rearranged so
 * that a few steps show each cost apart, stopped once each has been seen:
 *
 *   step 0              a test evaluation, as a run's (when the run has them): its time
 *   step 1              every probe the run turns on, as a run's step 1 (their first calls)
 *   step 2              a plain step
 *   other steps         plain steps, timed: the wall time between the host receiving step k-1 and k
 *   steps 4, 8, ...     every probe again; each reports its own time per call (probe/NAME/cost/ms)
 *   after the stop      the checkpoint the trainer writes when stopped: its time
 *
 * An evaluation is timed once, at step 0, first calls of the forward pass included: a second one
 * would cost as much again (seconds for a convnet), to correct a run's few evaluations by the
 * fraction of one that is warm-up. It stops once MIN_TIMED_STEPS plain steps and a probe step were
 * seen and MIN_WINDOW_MS have passed since step 2 (or MAX_TIMED_STEPS plain steps). A convnet has
 * passed that by step 5 (its probes alone take seconds); a network whose steps take a few ms
 * (dln25) goes on for a few hundred steps, because its steps keep getting faster for the first ~50
 * (V8 and wasm compile the hot code in tiers; dln25's plain step goes from ~9 ms to ~3 ms). Its step
 * time is then the mean of the later half of its plain steps, and what the steps before that half
 * cost beyond the steady costs (first calls, kernel compilation, the tiers) is `warmupMs`, which a
 * run pays once, as it pays `startupMs` (worker, backend, data) once.
 */
import type { Threads } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import type { BackendInfo } from '../../shared/events';
import { PROBE_NAMES, type ProbeName } from '../../shared/probes';
import type { WorkerToHost } from '../../shared/workerProtocol';
import { defaultWorkerEntry, WorkerHost, type WorkerEntry } from './workerHost';

/** Steps between probe calls: every probe runs at step 1 and then at steps 4, 8, ... */
export const TIMING_PROBE_EVERY = 4;
const MIN_TIMED_STEPS = 2;
/** Wall time after step 2 before a timing may stop. */
const MIN_WINDOW_MS = 2000;
const MAX_TIMED_STEPS = 300;
/** From this many plain steps on, the step time is the mean of the later half of them. */
const LATE_HALF_FROM = 8;
/** The copy's schedule.steps: beyond what MAX_TIMED_STEPS needs. */
const STEP_CAP = 1000;

export interface RunKindTimingOptions {
  /** wasm threads, as a run is started with them (absent: the run's default). */
  threads?: Threads | undefined;
  workerEntry?: WorkerEntry | undefined;
  /**
   * Evaluate only the first N test images (the caller scales the time to its run's); absent:
   * the run's own data.testLimit.
   */
  testLimit?: number | undefined;
}

/** One kind of run timed; every time is a mean wall time in ms. */
export interface RunKindTiming {
  backend: BackendInfo;
  /** From sending `train` to the run's `started` event: the worker, the backend and the data. */
  startupMs: number;
  /** The first steps beyond their steady cost: paid once per run. */
  warmupMs: number;
  /** A training step without probes or evaluation, once warm. */
  stepMs: number;
  /** Plain steps the step time is the mean of. */
  timedSteps: number;
  /** Each probe's time per call (calls after step 1). */
  probeMs: Partial<Record<ProbeName, number>>;
  /** Calls timed per probe (after step 1). */
  probeCalls: number;
  /** Step 0's test evaluation over `testLimit` images (the run's own when not given); null: none. */
  evalMs: number | null;
  /** The checkpoint written at the end. */
  checkpointMs: number;
  /** Steps the timing trained, and its whole wall time. */
  steps: number;
  wallMs: number;
}

/** What the host saw of a timing: when each event arrived (performance.now(), ms). */
export interface TimingTrace {
  sentAt: number;
  startedAt: number;
  /** progressAt[k]: the receipt of step k's progress event (k >= 1). */
  progressAt: number[];
  /** The receipt of step 0's test metrics: absent when the run evaluates nothing (or no test set). */
  evaluatedAt: number | undefined;
  /** The probes that reported a time at step 1. */
  firstProbes: ProbeName[];
  /** Each probe's times per call after step 1. */
  probeMs: Map<ProbeName, number[]>;
  checkpointMs: number | undefined;
}

/** The run's config with the cadences of the timing (module comment); its model, data and probes kept. */
export function timingConfig(config: ExperimentConfig, testLimit?: number): ExperimentConfig {
  const probes = structuredClone(config.probes);
  for (const name of PROBE_NAMES) {
    const p = probes[name] as { every: number | 'train' };
    // 'train' (the norms probe at the train-metric cadence) is on: every run has train metrics.
    p.every = p.every === 0 ? 0 : TIMING_PROBE_EVERY;
  }
  return {
    ...config,
    name: `${config.name} (timing)`,
    schedule: {
      ...config.schedule,
      steps: STEP_CAP,
      trainMetricsEvery: 1,
      // Step 0 only (and the cap, never reached).
      testMetricsEvery: config.schedule.testMetricsEvery > 0 ? STEP_CAP : 0,
      checkpointEvery: 0,
    },
    data: { ...config.data, ...(testLimit !== undefined ? { testLimit } : {}) },
    probes,
  };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const isProbeStep = (k: number): boolean => k === 1 || k % TIMING_PROBE_EVERY === 0;

/** Wall times of the plain steps seen so far (after step 2, no probes), with their steps. */
function plainSteps(trace: TimingTrace): { k: number; ms: number }[] {
  const out: { k: number; ms: number }[] = [];
  for (let k = 3; k < trace.progressAt.length; k++) {
    const at = trace.progressAt[k];
    const before = trace.progressAt[k - 1];
    if (at === undefined || before === undefined || isProbeStep(k)) continue;
    out.push({ k, ms: at - before });
  }
  return out;
}

/** Whether the trace has seen every cost and long enough a window to stop. */
export function timedEnough(trace: TimingTrace): boolean {
  const last = trace.progressAt.length - 1;
  const stepTwo = trace.progressAt[2];
  const lastAt = trace.progressAt[last];
  if (stepTwo === undefined || lastAt === undefined) return false;
  const plain = plainSteps(trace).length;
  const seen = plain >= MIN_TIMED_STEPS && (trace.firstProbes.length === 0 || last >= TIMING_PROBE_EVERY);
  return seen && (lastAt - stepTwo >= MIN_WINDOW_MS || plain >= MAX_TIMED_STEPS);
}

/**
 * The costs a trace shows (module comment): the step time from the plain steps (their later half once
 * there are LATE_HALF_FROM), probe times per call, step 0's evaluation, and the warm-up: the wall
 * time from step 0's end to the step K before the steps averaged, less the steady costs of steps
 * 1..K (a step each, and the probes of probe steps).
 */
export function summarizeTiming(
  trace: TimingTrace,
  backend: BackendInfo,
  wallMs: number,
): RunKindTiming | undefined {
  const plain = plainSteps(trace);
  if (plain.length === 0) return undefined;
  const late = plain.length >= LATE_HALF_FROM ? plain.slice(Math.floor(plain.length / 2)) : plain;
  const stepMs = mean(late.map((s) => s.ms));
  const probeMs: Partial<Record<ProbeName, number>> = {};
  for (const [probe, xs] of trace.probeMs) probeMs[probe] = mean(xs);
  const evaluatedAt = trace.evaluatedAt;
  const loopAt = evaluatedAt ?? trace.startedAt;

  const warmUntil = late === plain ? 2 : (late[0]?.k ?? 3) - 1;
  const probesPerStep = trace.firstProbes.reduce((s, p) => s + (probeMs[p] ?? 0), 0);
  let steady = 0;
  for (let k = 1; k <= warmUntil; k++) steady += stepMs + (isProbeStep(k) ? probesPerStep : 0);
  const warmEnd = trace.progressAt[warmUntil] ?? loopAt;
  return {
    backend,
    startupMs: trace.startedAt - trace.sentAt,
    warmupMs: Math.max(0, warmEnd - loopAt - steady),
    stepMs,
    timedSteps: late.length,
    probeMs,
    probeCalls: Math.max(0, ...[...trace.probeMs.values()].map((xs) => xs.length)),
    evalMs: evaluatedAt === undefined ? null : evaluatedAt - trace.startedAt,
    checkpointMs: trace.checkpointMs ?? 0,
    steps: trace.progressAt.length - 1,
    wallMs,
  };
}

const PROBE_COST = /^probe\/(\w+)\/cost\/ms$/;

/** Times `config`'s kind of run in a fresh engine worker; rejects with the worker's error or a divergence. */
export function timeRunKind(
  config: ExperimentConfig,
  options: RunKindTimingOptions = {},
): Promise<RunKindTiming> {
  const timed = timingConfig(config, options.testLimit);

  return new Promise((resolve, reject) => {
    const trace: TimingTrace = {
      sentAt: performance.now(),
      startedAt: 0,
      progressAt: [],
      evaluatedAt: undefined,
      firstProbes: [],
      probeMs: new Map(),
      checkpointMs: undefined,
    };
    let backend: BackendInfo | undefined;
    let lastAt = 0;
    let stopping = false;
    let settled = false;

    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      void host.terminate();
      reject(new Error(message));
    };

    const finish = (): void => {
      if (settled) return;
      settled = true;
      void host.terminate();
      const timing = backend && summarizeTiming(trace, backend, performance.now() - trace.sentAt);
      if (timing) resolve(timing);
      else {
        const step = trace.progressAt.length - 1;
        reject(new Error(`the timing ended at step ${Math.max(0, step)} before a plain step was timed`));
      }
    };

    const onEvent = (event: Extract<WorkerToHost, { type: 'event' }>['event'], now: number): void => {
      switch (event.type) {
        case 'started':
          backend = event.backend;
          trace.startedAt = now;
          lastAt = now;
          break;
        case 'metrics':
          for (const p of event.points) {
            if (p.series === 'test/loss' && p.step === 0) trace.evaluatedAt = now;
            const probe = PROBE_COST.exec(p.series)?.[1] as ProbeName | undefined;
            if (probe === undefined) continue;
            if (p.step === 1) trace.firstProbes.push(probe);
            else {
              const xs = trace.probeMs.get(probe) ?? [];
              xs.push(p.value);
              trace.probeMs.set(probe, xs);
            }
          }
          break;
        case 'progress':
          trace.progressAt[event.step] = now;
          lastAt = now;
          if (!stopping && timedEnough(trace)) {
            stopping = true;
            host.send({ type: 'control', action: 'stop' });
          }
          break;
        case 'ended':
          // A divergence after everything was seen still timed the kind (a diverged step is as long).
          if (event.outcome === 'diverged' && !timedEnough(trace)) {
            fail(`the training loss diverged at step ${event.step}, before every cost was timed`);
          } else finish();
          break;
        default:
          break;
      }
    };

    const host: WorkerHost = new WorkerHost(
      {
        onMessage: (m) => {
          const now = performance.now();
          if (m.type === 'event') onEvent(m.event, now);
          else if (m.type === 'checkpoint') trace.checkpointMs = now - lastAt;
          else if (m.type === 'failed') fail(m.error.message);
        },
        onCrash: (e) => fail(e.message),
      },
      options.workerEntry ?? defaultWorkerEntry(),
    );
    host.send({
      type: 'train',
      config: timed,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
  });
}
