/**
 * The training loop. One step k (1-based) draws minibatch k, computes L(w_{k-1}) and its gradient with
 * batch statistics, applies the optimizer and updates the normalization layers' running estimates:
 *
 *   w_k = w_{k-1} - update(grad L_k(w_{k-1}))        running_k = (1 - m) running_{k-1} + m stats_k
 *
 * Everything random in step k is drawn from streams derived from (seed, k), so the loop can start at
 * any checkpointed step and reproduce the uninterrupted trajectory exactly.
 *
 * A run with test metrics also evaluates w_0 before step 1 (points at step 0), so its test curves start
 * where training does: at chance for a classifier, as the paper's curves do. The evaluation runs in
 * eval mode (running estimates read, never updated; no noise, no random draws), so the trajectory is
 * the same with it or without it.
 */
import type { ExperimentConfig } from '../../../shared/config';
import type { BackendInfo, MetricPoint, RunEvent, RunOutcome } from '../../../shared/events';
import type { ProbeName } from '../../../shared/probes';
import { makeAlgorithm1Noise } from '../norms/noisyBatchNorm';
import { deriveSeed } from '../rng/seeds';
import type { Task } from '../tasks/task';
import { buildNetwork } from '../models/network';
import { ProbeRunner } from '../probes/probeRunner';
import { trainingStep, type StepOutcome } from './trainingStep';
import { evaluate } from './evaluate';
import { TrainingState } from './trainingState';
import { RemainingWork } from './remainingWork';
import { ThroughputMeter } from './throughputMeter';

export type Control = 'run' | 'pause' | 'stop';

export interface TrainerHooks {
  emit(event: RunEvent): void;
  /** Persist a checkpoint; training waits for it, so a returned step is safely stored. */
  saveCheckpoint(step: number, bytes: Uint8Array): void | Promise<void>;
  /** Polled between steps. */
  control(): Control;
  /** Resolves when a paused run is told to resume or stop. */
  waitForResume(): Promise<Exclude<Control, 'pause'>>;
}

export interface TrainOptions {
  config: ExperimentConfig;
  task: Task;
  backend: BackendInfo;
  hooks: TrainerHooks;
  /** Checkpoint bytes to continue from; absent starts at step 0 from the seeded initialization. */
  resumeFrom?: Uint8Array;
}

export interface TrainResult {
  outcome: Exclude<RunOutcome, 'failed'>;
  step: number;
  divergedAtStep?: number;
}

/** How often (ms) progress events are sent at most, besides every metric step. */
const PROGRESS_INTERVAL_MS = 250;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { config, task, hooks } = opts;
  const net = buildNetwork(config.model, { inputShape: [...task.inputShape], outputSize: task.outputSize });
  const state = opts.resumeFrom
    ? TrainingState.fromCheckpoint(net, config, opts.resumeFrom)
    : TrainingState.fresh(net, config);
  const { steps, trainMetricsEvery, testMetricsEvery, checkpointEvery } = config.schedule;
  const meter = new ThroughputMeter();
  const probes = new ProbeRunner(net, config);
  const testEvery = task.hasTestSet ? testMetricsEvery : 0;
  // A resumed run has its step-0 points already: the store keeps what was logged up to the checkpoint
  // it resumes from, even one written at step 0 (a pause before step 1).
  const testAtStart = testEvery > 0 && !opts.resumeFrom;
  const work = new RemainingWork({
    totalSteps: steps,
    probeEvery: probes.cadences(),
    testEvery,
    testAtStart,
    batchSize: task.batchSize,
    testSize: task.testSize,
    checkpointEvery,
  });
  let lastProgress = 0;

  hooks.emit({
    type: 'started',
    backend: opts.backend,
    fromStep: state.step,
    totalSteps: steps,
    parameters: state.parameterCount(),
  });

  const checkpoint = async (): Promise<void> => {
    await hooks.saveCheckpoint(state.step, await state.toCheckpoint());
  };

  /** Evaluates the test set at step k (timed for the ETA) and returns its points. */
  const evaluateAt = async (k: number): Promise<MetricPoint[]> => {
    const started = performance.now();
    const test = await evaluate(net, state, task);
    work.addEvaluation(performance.now() - started);
    const points: MetricPoint[] = [{ series: 'test/loss', step: k, value: test.loss }];
    if (test.accuracy !== null) points.push({ series: 'test/accuracy', step: k, value: test.accuracy });
    return points;
  };

  // The step's own time is what passed since `mark` less its probes, evaluation and the checkpoint
  // written after the previous step (`checkpointMs`): each of those has its own cost in the ETA.
  let mark = performance.now();
  let checkpointMs = 0;
  try {
    if (testAtStart) {
      hooks.emit({ type: 'metrics', points: await evaluateAt(0) });
      mark = performance.now();
    }
    while (state.step < steps) {
      const control = hooks.control();
      if (control === 'stop') break;
      if (control === 'pause') {
        hooks.emit({ type: 'paused', step: state.step });
        await checkpoint();
        if ((await hooks.waitForResume()) === 'stop') break;
        hooks.emit({ type: 'resumed', step: state.step });
        meter.reset();
        work.resetStepTimes();
        mark = performance.now();
        checkpointMs = 0;
      }

      const k = state.step + 1;
      const noise =
        config.model.normalization === 'noisy-batch'
          ? makeAlgorithm1Noise(config.model.noisy, deriveSeed(config.seed, 'noise', k))
          : undefined;
      const batch = task.trainBatch(k);
      let step: StepOutcome;
      try {
        step = await trainingStep(state, task, config, probes, batch, noise);
      } finally {
        batch.x.dispose();
        batch.y.dispose();
      }
      const { loss, accuracy } = step;
      // Probes are not training: their time stays out of the throughput figure (they report their own).
      meter.add(task.batchSize, step.stepMs);
      if (step.probeRecords.length > 0) hooks.emit({ type: 'probes', step: k, records: step.probeRecords });

      if (!Number.isFinite(loss)) {
        hooks.emit({ type: 'metrics', points: [{ series: 'train/loss', step: k, value: loss }] });
        return { outcome: 'diverged', step: k, divergedAtStep: k };
      }

      const points: MetricPoint[] = step.probePoints;
      if (k % trainMetricsEvery === 0 || k === 1) {
        points.push({ series: 'train/loss', step: k, value: loss });
        if (task.kind === 'classification')
          points.push({ series: 'train/accuracy', step: k, value: accuracy });
        points.push({ series: 'perf/examples_per_sec', step: k, value: meter.examplesPerSec() });
      }
      let evaluationMs = 0;
      if (testEvery > 0 && (k % testEvery === 0 || k === steps)) {
        const started = performance.now();
        points.push(...(await evaluateAt(k)));
        evaluationMs = performance.now() - started;
      }
      const now = performance.now();
      work.addStep(now - mark - step.probeMs - evaluationMs - checkpointMs);
      for (const [probe, ms] of Object.entries(step.probeCosts) as [ProbeName, number][]) {
        work.addProbe(probe, ms);
      }
      mark = now;
      checkpointMs = 0;
      if (points.length > 0) hooks.emit({ type: 'metrics', points });

      if (points.length > 0 || now - lastProgress >= PROGRESS_INTERVAL_MS || k === steps) {
        lastProgress = now;
        hooks.emit({
          type: 'progress',
          step: k,
          totalSteps: steps,
          loss,
          accuracy: task.kind === 'classification' ? accuracy : null,
          examplesPerSec: meter.examplesPerSec(),
          etaSec: work.etaSec(k),
        });
      }
      if (checkpointEvery > 0 && k % checkpointEvery === 0 && k < steps) {
        const started = performance.now();
        await checkpoint();
        checkpointMs = performance.now() - started;
        work.addCheckpoint(checkpointMs);
      }
      // Let the worker's message handler run (pause/stop requests) between steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await checkpoint();
    return { outcome: state.step >= steps ? 'completed' : 'stopped', step: state.step };
  } finally {
    state.dispose();
  }
}
