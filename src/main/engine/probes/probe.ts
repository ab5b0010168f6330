/**
 * What every probe of PAPER.md section 4 receives and returns. A probe belongs to training step k:
 * it sees the step's minibatch, the weights before and after the step, and the step's gradient, and
 * evaluates the network at other weights through the pure forward pass (network.ts), in training mode
 * (batch statistics) with the step's own Algorithm 1 noise, never touching running estimates, the
 * optimizer or the random streams. The runner (probeRunner.ts) owns every tensor of the context.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../shared/config';
import type { MetricPoint } from '../../../shared/events';
import type { ProbeRecord } from '../../../shared/probes';
import type { ForwardOptions, Network, ParamMap } from '../models/networkTypes';

export interface ProbeContext {
  net: Network;
  config: ExperimentConfig;
  /** The training step k (1-based) the probe belongs to. */
  step: number;
  /** w_{k-1}: the weights the step's gradient was taken at. */
  before: ParamMap;
  /** w_k: the weights after the optimizer's update of step k. */
  after: ParamMap;
  /** g = grad L_k(w_{k-1}) for every parameter, by name. */
  grads: ParamMap;
  /** The step's minibatch. */
  x: tf.Tensor;
  y: tf.Tensor;
  /** The task's loss of a batch of outputs against y (the training loss of step k). */
  loss: (output: tf.Tensor2D) => tf.Scalar;
  /** Training mode with step k's own noise: pass to net.forward / lossAndGradients as is. */
  forward: ForwardOptions;
  /** L_k(w_{k-1}), already read. */
  lossValue: number;
  /** The optimizer's learning rate (the landscape's eta grid is relative to it). */
  lr: number;
}

/** Extra work a probe did beyond the training step, for its cost record. */
export interface ProbePasses {
  /** Forward-only passes over the minibatch. */
  forward: number;
  /** Forward + backward passes over the minibatch. */
  backward: number;
}

export interface ProbeResult {
  /** Scalars for charts, e.g. `probe/ics/layer5/l2` at step k. */
  points: MetricPoint[];
  /** Structured results (histograms, per-eta curves, per-unit terms). */
  records: ProbeRecord[];
  passes: ProbePasses;
}

/** The 1-based layers a probe looks at: its selection, or every normalizable layer when empty. */
export function probedLayers(net: Network, selected: readonly number[]): number[] {
  if (selected.length > 0) return [...selected];
  return Array.from({ length: net.numLayers }, (_, k) => k + 1);
}
