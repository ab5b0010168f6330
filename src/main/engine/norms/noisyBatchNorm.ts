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
 *
 * Two generators (config model.noisy.generator), both functions of (seed, layer) alone, so a resumed
 * run and a probe replaying a step redraw the same noise:
 * - `philox` (new runs): Philox4x32-10 streams (rng/philox.ts) under the key of (seed, 'noise', layer):
 *   mu_j = meanRange (2 u_2j - 1) and sigma_j = sigmaLow + (sigmaHigh - sigmaLow) u_2j+1 from the unit
 *   stream, m_i = mu_j + meanJitter (2 u_i - 1) from the shift stream, s_i = sigma_j + sigmaStd z_i from
 *   the scale stream, element i (row-major, units last) of unit j = i mod units. Element i needs only
 *   (key, i): on webgpu a WGSL kernel computes scale and shift on the GPU (backends/webgpu/
 *   philoxNoise.ts), with no host loop and no upload; on the other backends the same words are
 *   computed in JS and uploaded, about as fast as alea (both spend most of their time in Box-Muller's
 *   log, cos and sin: some 10 M elements/s on one core).
 * - `alea` (runs stored before philox existed, which must replay as they ran): sequential alea
 *   streams (seed, 'noise', layer, 'unit' | 'm' | 's') of rng/seeds.ts, drawn on the host in order.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoisyBatchNormConfig } from '../../../shared/config';
import { algorithm1NoiseOnWebGpu, currentWebGpuBackend } from '../backends/webgpu/philoxNoise';
import type { Algorithm1PhiloxSpec } from '../backends/webgpu/philoxNoise';
import { fillNormals, fillUniforms, philoxKey } from '../rng/philox';
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

/** The Philox streams of Algorithm 1 under one layer's key (module comment). */
export const ALGORITHM1_STREAMS = { unit: 0, shift: 1, scale: 2 } as const;

/** The Philox key, streams and constants of layer `layer`'s noise in the step whose noise seed is `seed`. */
export function algorithm1PhiloxSpec(
  cfg: NoisyBatchNormConfig,
  seed: number,
  layer: number,
): Algorithm1PhiloxSpec {
  return {
    key: philoxKey(seed, 'noise', layer),
    unitStream: ALGORITHM1_STREAMS.unit,
    shiftStream: ALGORITHM1_STREAMS.shift,
    scaleStream: ALGORITHM1_STREAMS.scale,
    meanRange: cfg.meanRange,
    meanJitter: cfg.meanJitter,
    sigmaLow: cfg.sigmaLow,
    sigmaHigh: cfg.sigmaHigh,
    sigmaStd: cfg.sigmaStd,
  };
}

/**
 * The draw of layer `layer` for the activation shape `shape` (units last), by the config's generator
 * (module comment). The caller owns the tensors.
 */
export function drawAlgorithm1Noise(
  cfg: NoisyBatchNormConfig,
  seed: number,
  layer: number,
  shape: readonly number[],
): Algorithm1Draw {
  const units = unitsOf(shape);
  if (cfg.generator === 'alea') return drawAlea(cfg, seed, layer, shape, units);
  const spec = algorithm1PhiloxSpec(cfg, seed, layer);
  const { mu, sigma } = philoxUnits(spec, units);
  return { mu: tf.tensor1d(mu), sigma: tf.tensor1d(sigma), ...philoxElements(spec, shape, mu, sigma) };
}

function unitsOf(shape: readonly number[]): number {
  const units = shape[shape.length - 1];
  if (units === undefined || units < 1) throw new Error('drawAlgorithm1Noise: empty activation shape');
  return units;
}

/** mu_j = meanRange (2 u_2j - 1), sigma_j = sigmaLow + (sigmaHigh - sigmaLow) u_2j+1 (unit stream). */
function philoxUnits(spec: Algorithm1PhiloxSpec, units: number): { mu: Float32Array; sigma: Float32Array } {
  const u = new Float64Array(2 * units);
  fillUniforms(u, spec.key, spec.unitStream);
  const mu = new Float32Array(units);
  const sigma = new Float32Array(units);
  for (let j = 0; j < units; j++) {
    mu[j] = spec.meanRange * (2 * (u[2 * j] as number) - 1);
    sigma[j] = spec.sigmaLow + (spec.sigmaHigh - spec.sigmaLow) * (u[2 * j + 1] as number);
  }
  return { mu, sigma };
}

/**
 * m_i = mu_j + meanJitter (2 u_i - 1), s_i = sigma_j + sigmaStd z_i: on the GPU under webgpu (which
 * recomputes mu_j and sigma_j itself), else in JS from the host's mu and sigma.
 */
function philoxElements(
  spec: Algorithm1PhiloxSpec,
  shape: readonly number[],
  mu?: Float32Array,
  sigma?: Float32Array,
): NoiseSample {
  const gpu = currentWebGpuBackend();
  if (gpu) return algorithm1NoiseOnWebGpu(gpu, spec, shape);
  const units = unitsOf(shape);
  if (!mu || !sigma) ({ mu, sigma } = philoxUnits(spec, units));
  const size = shape.reduce((a, b) => a * b, 1);
  const shift = new Float32Array(size);
  fillUniforms(shift, spec.key, spec.shiftStream);
  const scale = new Float32Array(size);
  fillNormals(scale, spec.key, spec.scaleStream);
  for (let i = 0, j = 0; i < size; i++, j = j + 1 === units ? 0 : j + 1) {
    shift[i] = (mu[j] as number) + spec.meanJitter * (2 * (shift[i] as number) - 1);
    scale[i] = (sigma[j] as number) + spec.sigmaStd * (scale[i] as number);
  }
  return { shift: tf.tensor(shift, [...shape]), scale: tf.tensor(scale, [...shape]) };
}

/**
 * The alea draw (module comment), in plain JS loops: the streams (seed, 'noise', layer, 'unit' | 'm' |
 * 's') of rng/seeds.ts, the Gaussian by Box-Muller. Frozen: stored runs replay these numbers.
 */
function drawAlea(
  cfg: NoisyBatchNormConfig,
  seed: number,
  layer: number,
  shape: readonly number[],
  units: number,
): Algorithm1Draw {
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
  if (cfg.generator === 'philox') {
    return (layer, shape) => philoxElements(algorithm1PhiloxSpec(cfg, seed, layer), shape);
  }
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
