/**
 * Noisy batch norm, the paper's Algorithm 1 (PAPER.md section 3): after the full batch-norm transform
 * (after gamma and beta), at every training step and for every unit j draw
 *
 *   mu_j ~ U(-meanRange, meanRange),   sigma_j ~ U(sigmaLow, sigmaHigh),
 *
 * then for every element (each sample, and each H, W position for conv) of unit j draw
 *
 *   m ~ U(mu_j - meanJitter, mu_j + meanJitter),   s ~ N(sigma_j, sigmaStd)   (sigmaStd a std. deviation)
 *
 * and replace a by s * a + m. The noise is a constant for back-propagation (d(s a + m)/da = s). No noise
 * at evaluation (choice). Paper constants: 0.5, 1, 1.25, 0.1, 0.1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoisyBatchNormConfig } from '../../../shared/config';
import { randomStream } from '../rng/seeds';

/** Algorithm 1: a -> s * a + m, elementwise; both tensors have the activation's shape. */
export interface NoiseSample {
  scale: tf.Tensor;
  shift: tf.Tensor;
}

/** Draws the noise of one layer for one step; `shape` is the activation's shape (N, H, W, C or N, C). */
export type NoiseSource = (layer: number, shape: readonly number[]) => NoiseSample;

/** One layer's draw: the per-unit mu_j, sigma_j and the per-element shift m and scale s. */
export interface Algorithm1Draw extends NoiseSample {
  mu: tf.Tensor1D;
  sigma: tf.Tensor1D;
}

/**
 * The draw of layer `layer` for the activation shape `shape` (units last), from the counter-based
 * streams (seed, 'noise', layer, 'unit' | 'm' | 's') of rng/seeds.ts, in plain JS loops, so the numbers
 * depend on nothing in tfjs's random ops and every backend draws the same noise. The Gaussian uses
 * Box-Muller. The draw runs on the host whatever the backend (about 5 M elements/s on a busy core, as
 * fast as tf.randomUniform + tf.randomNormal). The caller owns the tensors.
 */
export function drawAlgorithm1Noise(
  cfg: NoisyBatchNormConfig,
  seed: number,
  layer: number,
  shape: readonly number[],
): Algorithm1Draw {
  const units = shape[shape.length - 1];
  if (units === undefined || units < 1) throw new Error('drawAlgorithm1Noise: empty activation shape');
  const size = shape.reduce((a, b) => a * b, 1);
  const rows = size / units;

  const unit = randomStream(seed, 'noise', layer, 'unit');
  const mu = new Float32Array(units);
  const sigma = new Float32Array(units);
  for (let j = 0; j < units; j++) mu[j] = cfg.meanRange * (2 * unit() - 1);
  for (let j = 0; j < units; j++) sigma[j] = cfg.sigmaLow + (cfg.sigmaHigh - cfg.sigmaLow) * unit();

  // m ~ U(mu_j - meanJitter, mu_j + meanJitter).
  const uniform = randomStream(seed, 'noise', layer, 'm');
  const shift = new Float32Array(size);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < units; j++, i++) shift[i] = (mu[j] as number) + cfg.meanJitter * (2 * uniform() - 1);
  }

  // s ~ N(sigma_j, sigmaStd^2): Box-Muller turns two uniforms into two standard normals.
  const gauss = randomStream(seed, 'noise', layer, 's');
  const scale = new Float32Array(size);
  let spare = NaN;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < units; j++, i++) {
      let z: number;
      if (Number.isNaN(spare)) {
        const radius = Math.sqrt(-2 * Math.log(1 - gauss()));
        const angle = 2 * Math.PI * gauss();
        z = radius * Math.cos(angle);
        spare = radius * Math.sin(angle);
      } else {
        z = spare;
        spare = NaN;
      }
      scale[i] = (sigma[j] as number) + cfg.sigmaStd * z;
    }
  }
  return {
    mu: tf.tensor1d(mu),
    sigma: tf.tensor1d(sigma),
    shift: tf.tensor(shift, [...shape]),
    scale: tf.tensor(scale, [...shape]),
  };
}

/**
 * The noise source of one training step. `seed` must differ per step (the trainer passes e.g.
 * deriveSeed(runSeed, 'noise', step)); calling it again with the same seed redraws the same noise, so
 * probes can replay a step exactly.
 */
export function makeAlgorithm1Noise(cfg: NoisyBatchNormConfig, seed: number): NoiseSource {
  return (layer, shape) => {
    const { mu, sigma, scale, shift } = drawAlgorithm1Noise(cfg, seed, layer, shape);
    mu.dispose();
    sigma.dispose();
    return { scale, shift };
  };
}

/** a -> s * a + m. */
export function applyNoise(a: tf.Tensor, noise: NoiseSample): tf.Tensor {
  return tf.add(tf.mul(noise.scale, a), noise.shift);
}
