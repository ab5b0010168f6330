/**
 * Running estimates of the normalization layers, for eval mode (PAPER.md section 3):
 *
 *   running <- (1 - m) running + m batch        (m = model.normMomentum)
 *
 * for the mean and the scale (batch norm: variance, kept unbiased as m_B/(m_B-1) sigma^2_B like
 * PyTorch; lp norms: N_p). Functional: inputs are never modified or disposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './networkTypes';
import type { NormStats, RunningStats } from '../norms/normStats';

/** Mean 0 and scale 1 for every normalized layer; an empty map for a plain network. */
export function initRunningStats(net: Network): RunningStats {
  const running: RunningStats = new Map();
  if (net.config.normalization === 'none') return running;
  net.layerWidths.forEach((units, k) => {
    running.set(k + 1, { mean: tf.zeros([units]), scale: tf.ones([units]) });
  });
  return running;
}

/**
 * A new map of fresh tensors: layers present in `batch` are moved towards it, the others are copied.
 * The new tensors are tf.keep'ed (they survive an enclosing tf.tidy); the caller disposes the old
 * `running` and `batch` when done with them (disposeStats).
 */
export function updateRunningStats(
  running: RunningStats,
  batch: Map<number, NormStats>,
  momentum: number,
): RunningStats {
  for (const layer of batch.keys()) {
    if (!running.has(layer)) throw new Error(`updateRunningStats: no running estimates for layer ${layer}`);
  }
  const next: RunningStats = new Map();
  for (const [layer, old] of running) {
    const b = batch.get(layer);
    const updated = tf.tidy(() => {
      if (!b) return { mean: tf.clone(old.mean), scale: tf.clone(old.scale) };
      const scale = b.unbiasFactor === undefined ? b.scale : tf.mul(b.scale, b.unbiasFactor);
      return {
        mean: tf.add(tf.mul(old.mean, 1 - momentum), tf.mul(b.mean, momentum)) as tf.Tensor1D,
        scale: tf.add(tf.mul(old.scale, 1 - momentum), tf.mul(scale, momentum)) as tf.Tensor1D,
      };
    });
    next.set(layer, { mean: tf.keep(updated.mean), scale: tf.keep(updated.scale) });
  }
  return next;
}

/** Disposes every tensor of a stats map (running estimates or a forward pass's batch statistics). */
export function disposeStats(stats: Map<number, NormStats>): void {
  for (const s of stats.values()) {
    s.mean.dispose();
    s.scale.dispose();
  }
}
