/**
 * Dispatch over the normalizations of PAPER.md section 3. `noisy-batch` normalizes as `batch`; its
 * noise is added by the network after this transform (noisyBatchNorm.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LpNormConfig, NormalizationName } from '../../../shared/config';
import type { NormStats } from './normStats';
import { batchNormEval, batchNormTrain, type NormOutput } from './batchNorm';
import { lpNormEval, lpNormTrain, SPEC_LP, type LpOrder } from './lpNorm';

export type NormKind = Exclude<NormalizationName, 'none'>;

export function lpOrderOf(kind: 'l1' | 'l2' | 'linf'): LpOrder {
  return kind === 'l1' ? 1 : kind === 'l2' ? 2 : 'inf';
}

/** Train mode: normalize with this batch's statistics and return them; `lp` applies to l1, l2, linf. */
export function normalizeTrain(
  kind: NormKind,
  y: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  lp: LpNormConfig = SPEC_LP,
): NormOutput {
  if (kind === 'batch' || kind === 'noisy-batch') return batchNormTrain(y, gamma, beta, eps);
  return lpNormTrain(y, gamma, beta, lpOrderOf(kind), eps, lp);
}

/** Eval mode: normalize with the running estimates. */
export function normalizeEval(
  kind: NormKind,
  y: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  running: NormStats,
  eps: number,
): tf.Tensor {
  if (kind === 'batch' || kind === 'noisy-batch') return batchNormEval(y, gamma, beta, running, eps);
  return lpNormEval(y, gamma, beta, running, eps);
}
