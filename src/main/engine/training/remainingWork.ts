/**
 * The time a run still needs: every kind of work its loop has left, each counted at its cadence and
 * timed at its own measured cost,
 *
 *   ETA(k) = (S - k) t_step + sum_p n_p(k) t_p + n_eval(k) t_eval + n_ckpt(k) t_ckpt
 *
 * with S the run's steps, k the last step done, t_step the mean wall time of a step's own work
 * (optimization, reads, events; probes, evaluations and checkpoints excluded), t_p the mean wall time
 * of probe p at its recent runs, and n_x(k) the number of steps in (k, S] at which x is due:
 * - probe p with cadence n_p: step 1 and every multiple of n_p (ProbeRunner.due);
 * - a test evaluation: every multiple of testMetricsEvery, and step S; with `testAtStart` (a fresh
 *   run) also step 0, before step 1, which ETA(0) counts: ETA(0) is a whole run as a planner prices it
 *   before anything has run. The trainer's first ETA is after step 1, its step-0 evaluation done and
 *   timed: that is t_eval's first measurement;
 * - a checkpoint: every multiple of checkpointEvery below S, and one at the end.
 * Each cost is a mean over its recent measurements (the first left out once there are more: it
 * carries one-time warm-up): the last STEP_WINDOW steps, the last WINDOW runs of anything else. A cost not measured yet counts as 0, except
 * the evaluation's, which is estimated from the step time until one has run: a forward pass over the
 * test set, a third of a training step's forward + backward per batch of the same size.
 */
import type { ProbeName } from '../../../shared/probes';

/** Measurements a mean is taken over: recent enough to follow a drifting cost, enough to be steady. */
const WINDOW = 20;

/**
 * Steps are many and short, and their times swing with the machine's other load: a DLN step takes
 * 1-3 ms, so 20 steps would follow every hiccup and the ETA would jump by minutes between updates.
 */
const STEP_WINDOW = 500;

export interface WorkPlan {
  totalSteps: number;
  /** Steps between two runs of each probe that runs (ProbeRunner.cadences: 0 or absent = never). */
  probeEvery: Partial<Record<ProbeName, number>>;
  /** Steps between test evaluations; 0 = none (the last step is evaluated when it is not 0). */
  testEvery: number;
  /** Whether the test set is also evaluated at step 0 (a fresh run with evaluations; not a resumed one). */
  testAtStart: boolean;
  /** Examples per training step and in the test set (0 = no test set). */
  batchSize: number;
  testSize: number;
  /** Steps between checkpoints; 0 = only the final one. */
  checkpointEvery: number;
}

/**
 * Mean of the last `size` values, leaving out the very first once there is another: the first run of
 * anything pays one-time costs (kernel compilation, first allocations) that later runs do not.
 */
class RecentMean {
  private first: number | undefined;
  private readonly values: number[] = [];
  private sum = 0;

  constructor(private readonly size = WINDOW) {}

  add(value: number): void {
    if (this.first === undefined) {
      this.first = value;
      return;
    }
    this.values.push(value);
    this.sum += value;
    if (this.values.length > this.size) this.sum -= this.values.shift() as number;
  }

  get known(): boolean {
    return this.first !== undefined;
  }

  mean(): number {
    if (this.values.length === 0) return this.first ?? 0;
    return this.sum / this.values.length;
  }

  clear(): void {
    this.first = undefined;
    this.values.length = 0;
    this.sum = 0;
  }
}

/** Multiples of `every` in (from, to]; none when every <= 0. */
export function multiplesBetween(every: number, from: number, to: number): number {
  if (every <= 0 || to <= from) return 0;
  return Math.floor(to / every) - Math.floor(from / every);
}

/** Steps in (from, to] at which a probe of cadence `every` runs: step 1 and every multiple. */
export function dueSteps(every: number, from: number, to: number): number {
  if (every <= 0) return 0;
  const stepOne = every > 1 && from < 1 && to >= 1 ? 1 : 0;
  return multiplesBetween(every, from, to) + stepOne;
}

export class RemainingWork {
  private readonly step = new RecentMean(STEP_WINDOW);
  private readonly probes = new Map<ProbeName, RecentMean>();
  private readonly evaluation = new RecentMean();
  private readonly checkpoint = new RecentMean();

  constructor(private readonly plan: WorkPlan) {}

  /** A step's own work: its wall time with its probes, evaluation and checkpoint taken out. */
  addStep(ms: number): void {
    this.step.add(ms);
  }

  addProbe(probe: ProbeName, ms: number): void {
    let m = this.probes.get(probe);
    if (!m) this.probes.set(probe, (m = new RecentMean()));
    m.add(ms);
  }

  addEvaluation(ms: number): void {
    this.evaluation.add(ms);
  }

  addCheckpoint(ms: number): void {
    this.checkpoint.add(ms);
  }

  /** After a pause: the machine may be busier or idler now, so step times start over. */
  resetStepTimes(): void {
    this.step.clear();
  }

  /** Seconds of work left after step k; null before the first step's time is known. */
  etaSec(k: number): number | null {
    if (!this.step.known) return null;
    const { totalSteps: S, probeEvery, checkpointEvery } = this.plan;
    const stepMs = this.step.mean();
    let ms = Math.max(0, S - k) * stepMs;
    for (const [probe, every] of Object.entries(probeEvery) as [ProbeName, number][]) {
      ms += dueSteps(every, k, S) * (this.probes.get(probe)?.mean() ?? 0);
    }
    ms += this.evaluationsLeft(k) * this.evaluationMs(stepMs);
    if (k < S) ms += (multiplesBetween(checkpointEvery, k, S - 1) + 1) * this.checkpoint.mean();
    return ms / 1000;
  }

  private evaluationsLeft(k: number): number {
    const { totalSteps: S, testEvery, testSize, testAtStart } = this.plan;
    if (testEvery <= 0 || testSize <= 0 || k >= S) return 0;
    const atStart = testAtStart && k === 0 ? 1 : 0;
    return atStart + multiplesBetween(testEvery, k, S) + (S % testEvery === 0 ? 0 : 1);
  }

  private evaluationMs(stepMs: number): number {
    if (this.evaluation.known) return this.evaluation.mean();
    const { batchSize, testSize } = this.plan;
    return batchSize > 0 ? ((testSize / batchSize) * stepMs) / 3 : 0;
  }
}
