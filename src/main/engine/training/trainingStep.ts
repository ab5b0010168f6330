/**
 * One training step k with its probes: draw nothing (the caller passes minibatch k and step k's
 * Algorithm 1 noise), keep w_{k-1} and g when a probe is due, apply the step, read the minibatch loss
 * and accuracy (one small read), then run the due probes on the same minibatch (probeRunner.ts).
 * Shared by the trainer and the probe-overhead benchmark, so both measure the same code.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../shared/config';
import type { MetricPoint } from '../../../shared/events';
import type { ProbeName, ProbeRecord } from '../../../shared/probes';
import type { NoiseSource } from '../norms/noisyBatchNorm';
import type { ParamMap } from '../models/networkTypes';
import { snapshot, type ProbeRunner, type ProbeStepInput } from '../probes/probeRunner';
import type { Batch, Task } from '../tasks/task';
import type { TrainingState } from './trainingState';

export interface StepOutcome {
  loss: number;
  accuracy: number;
  /** Wall time of the optimization step itself (from the call to the loss read). */
  stepMs: number;
  /** Probe scalars (their cost included) and structured records of this step. */
  probePoints: MetricPoint[];
  probeRecords: ProbeRecord[];
  /** Wall time of the probes; 0 when none was due. */
  probeMs: number;
  /** Wall time of each probe run (ProbeStepOutput.costs). */
  probeCosts: Partial<Record<ProbeName, number>>;
}

/** Runs step k = state.step + 1 on `batch`; leaves `batch` to the caller and state.step at k. */
export async function trainingStep(
  state: TrainingState,
  task: Task,
  config: ExperimentConfig,
  probes: ProbeRunner,
  batch: Batch,
  noise: NoiseSource | undefined,
): Promise<StepOutcome> {
  const k = state.step + 1;
  const started = performance.now();
  const probeInput: ProbeStepInput | undefined =
    probes.due(k).length > 0 ? { step: k, before: snapshot(state.params), grads: {} } : undefined;
  const keepGradients = probeInput
    ? (grads: ParamMap): void => {
        for (const [name, g] of Object.entries(grads)) probeInput.grads[name] = tf.keep(tf.clone(g));
      }
    : undefined;
  const stats = tf.tidy(() => state.step_(batch.x, batch.y, task, noise, keepGradients));
  // One small read per step: the loss (and accuracy) of this minibatch, for divergence detection
  // and the progress bar. Async, so GPU backends keep their queue.
  const [loss, accuracy] = Array.from(await stats.data()) as [number, number];
  stats.dispose();
  state.step = k;
  const stepMs = performance.now() - started;
  const outcome: StepOutcome = {
    loss,
    accuracy,
    stepMs,
    probePoints: [],
    probeRecords: [],
    probeMs: 0,
    probeCosts: {},
  };
  if (!probeInput) return outcome;
  if (!Number.isFinite(loss)) {
    // A diverged step ends the run: each due probe records why it has nothing to measure.
    tf.dispose([...Object.values(probeInput.before), ...Object.values(probeInput.grads)]);
    outcome.probeRecords = probes.due(k).map((probe) => ({
      probe,
      step: k,
      data: { error: `the training loss is ${loss} at this step (the run diverged)` },
    }));
    return outcome;
  }
  const probed = await probes.run(probeInput, {
    after: state.params,
    x: batch.x,
    y: batch.y,
    loss: (output) => task.loss(output, batch.y),
    forward: { training: true, ...(noise ? { noise } : {}) },
    lossValue: loss,
    lr: config.optimizer.lr,
  });
  outcome.probePoints = probed.points;
  outcome.probeRecords = probed.records;
  outcome.probeCosts = probed.costs;
  outcome.probeMs = performance.now() - started - stepMs;
  return outcome;
}
