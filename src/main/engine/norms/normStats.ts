/**
 * What a normalization layer measures of its input: per-unit batch statistics in training, running
 * estimates of them in eval mode (models/runningStats.ts keeps those).
 */
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Per-unit statistics of a normalization layer. `scale` is the variance sigma^2 for batch norm and
 * N_p for the lp norms.
 */
export interface NormStats {
  mean: tf.Tensor1D;
  scale: tf.Tensor1D;
  /**
   * Batch statistics only: multiply `scale` by this before it enters the running estimate. Batch norm
   * normalizes with the biased variance but keeps the unbiased one, m/(m-1) sigma^2_B, as its running
   * estimate (PyTorch's convention, m = elements per unit). Absent means 1 (lp norms keep N_p as is).
   */
  unbiasFactor?: number;
}

/** layer -> running estimates, used in eval mode. */
export type RunningStats = Map<number, NormStats>;
