/**
 * Times one kind of run on this machine the way a run trains: the engine worker's own `train` command
 * (the same backend start, wasm thread choice, data loading and training loop as a run, so nothing
 * here can drift from what a run does) on a copy of the run's config whose cadences are rearranged so
 * that a few steps show each cost apart, stopped as soon as each has been seen:
 *
 *   step 0              a test evaluation, as a run's (when the run has them; warm-up)
 *   step 1              every probe the run turns on, as a run's step 1 (first calls: warm-up)
 *   step 2              a plain step (warm-up)
 *   other steps         plain steps, timed: the wall time between the host receiving step k-1 and k
 *   steps 4, 8, ...     every probe again; each reports its own time per call (probe/NAME/cost/ms)
 *   steps 6, 12, ...    a plain step followed by a test evaluation: its wall time less a plain step's
 *   after the stop      the checkpoint the trainer writes when stopped: its time
 *
 * Stopped once at least MIN_TIMED_STEPS plain steps, one probe step and one evaluation (when the run
 * has them) were seen and the plain steps add up to MIN_TIMED_MS (or MAX_TIMED_STEPS of them, for
 * networks whose steps take a few ms). A slow network has seen everything after step 6 (plain steps
 * 3 and 5); the stop takes effect at the next step boundary, after step 6 or 7. What the first steps
 * cost beyond their steady cost (kernel compilation, first allocations, the first evaluation) is
 * `warmupMs`; a run pays it once, as it pays `startupMs` (worker, backend, data) once.
 */
import type { Threads } from '../../shared/api';
import type { ExperimentConfig } from '../../shared/config';
import type { BackendInfo } from '../../shared/events';
import { PROBE_NAMES, type ProbeName } from '../../shared/probes';
import type { WorkerToHost } from '../../shared/workerProtocol';
import { defaultWorkerEntry, WorkerHost, type WorkerEntry } from './workerHost';

/** Steps between probe calls: every probe runs at step 1 (warm-up) and then at step 4. */
export const TIMING_PROBE_EVERY = 4;
/** Steps between test evaluations: step 0 (warm-up, as in a run), then step 6. */
export const TIMING_TEST_EVERY = 6;
const MIN_TIMED_STEPS = 2;
const MIN_TIMED_MS = 300;
const MAX_TIMED_STEPS = 60;
/** The copy's schedule.steps: never reached unless a network is too fast for MAX_TIMED_STEPS to stop it. */
const STEP_CAP = 400;

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
  /** Step 0's evaluation and steps 1 and 2 beyond their steady cost: paid once per run. */
  warmupMs: number;
  /** A training step without probes or evaluation. */
  stepMs: number;
  timedSteps: number;
  /** Each probe's time per call (calls after step 1). */
  probeMs: Partial<Record<ProbeName, number>>;
  /** Probe calls timed per probe. */
  probeCalls: number;
  /** A test evaluation over `testLimit` images (the run's own testLimit when not given); null: none. */
  evalMs: number | null;
  /** The checkpoint written at the end. */
  checkpointMs: number;
  /** Steps the timing trained, and its whole wall time. */
  steps: number;
  wallMs: number;
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
      testMetricsEvery: config.schedule.testMetricsEvery > 0 ? TIMING_TEST_EVERY : 0,
      checkpointEvery: 0,
    },
    data: { ...config.data, ...(testLimit !== undefined ? { testLimit } : {}) },
    probes,
  };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const PROBE_COST = /^probe\/(\w+)\/cost\/ms$/;

/** Times `config`'s kind of run in a fresh engine worker; rejects with the worker's error or a divergence. */
export function timeRunKind(
  config: ExperimentConfig,
  options: RunKindTimingOptions = {},
): Promise<RunKindTiming> {
  const timed = timingConfig(config, options.testLimit);
  const isProbeStep = (k: number): boolean => k === 1 || k % TIMING_PROBE_EVERY === 0;
  const isEvalStep = (k: number): boolean => k % TIMING_TEST_EVERY === 0;

  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    let backend: BackendInfo | undefined;
    let startedAt = 0;
    /** Receipt of the last progress event and of step 2's. */
    let lastAt = 0;
    let lastStep = 0;
    let warmEndAt = 0;
    let evaluates = false;
    const firstProbes: ProbeName[] = [];
    const plain: number[] = [];
    const evalGaps: number[] = [];
    const probeMs = new Map<ProbeName, number[]>();
    let probeSteps = 0;
    let checkpointMs: number | undefined;
    let stopping = false;
    let settled = false;

    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      void host.terminate();
      reject(new Error(message));
    };

    const enough = (): boolean =>
      plain.length >= MIN_TIMED_STEPS &&
      (firstProbes.length === 0 || probeSteps >= 1) &&
      (!evaluates || evalGaps.length >= 1) &&
      (plain.reduce((s, x) => s + x, 0) >= MIN_TIMED_MS || plain.length >= MAX_TIMED_STEPS);

    const finish = (): void => {
      if (settled) return;
      settled = true;
      void host.terminate();
      if (!backend || plain.length === 0) {
        reject(new Error(`the timing ended at step ${lastStep} before a plain step was timed`));
        return;
      }
      const stepMs = mean(plain);
      const perProbe: Partial<Record<ProbeName, number>> = {};
      for (const [probe, xs] of probeMs) perProbe[probe] = mean(xs);
      const evalMs = evaluates && evalGaps.length > 0 ? Math.max(0, mean(evalGaps) - stepMs) : null;
      // Step 0's evaluation, step 1 with its probes, and step 2, less what they cost once warm.
      const steady = (evalMs ?? 0) + 2 * stepMs + firstProbes.reduce((s, p) => s + (perProbe[p] ?? 0), 0);
      resolve({
        backend,
        startupMs: startedAt - sentAt,
        warmupMs: warmEndAt > 0 ? Math.max(0, warmEndAt - startedAt - steady) : 0,
        stepMs,
        timedSteps: plain.length,
        probeMs: perProbe,
        probeCalls: probeSteps,
        evalMs,
        checkpointMs: checkpointMs ?? 0,
        steps: lastStep,
        wallMs: performance.now() - sentAt,
      });
    };

    const onEvent = (event: Extract<WorkerToHost, { type: 'event' }>['event'], now: number): void => {
      switch (event.type) {
        case 'started':
          backend = event.backend;
          startedAt = now;
          break;
        case 'metrics':
          for (const p of event.points) {
            if (p.series === 'test/loss' && p.step === 0) evaluates = true;
            const probe = PROBE_COST.exec(p.series)?.[1] as ProbeName | undefined;
            if (probe === undefined) continue;
            if (p.step === 1) firstProbes.push(probe);
            else {
              const xs = probeMs.get(probe) ?? [];
              xs.push(p.value);
              probeMs.set(probe, xs);
            }
          }
          break;
        case 'progress': {
          const k = event.step;
          const gap = now - lastAt;
          if (k >= 3 && !isProbeStep(k)) {
            if (evaluates && isEvalStep(k)) evalGaps.push(gap);
            else plain.push(gap);
          }
          if (k >= 2 && isProbeStep(k) && firstProbes.length > 0) probeSteps++;
          if (k === 2) warmEndAt = now;
          lastAt = now;
          lastStep = k;
          if (!stopping && enough()) {
            stopping = true;
            host.send({ type: 'control', action: 'stop' });
          }
          break;
        }
        case 'ended':
          // A divergence after everything was seen still timed the kind (a diverged step is as long).
          if (event.outcome === 'diverged' && !enough()) {
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
          else if (m.type === 'checkpoint') checkpointMs = now - lastAt;
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
