/**
 * Per-channel standardization (PAPER.md section 1, a choice): pixels are scaled to [0, 1], then
 *   x_hat_c = (x_c / 255 - mu_c) / sigma_c,
 * with mu_c and sigma_c the mean and (population) standard deviation of channel c over every pixel
 * of the TRAINING set. The same stats are applied to the test set and are stored with the run.
 */
import { CIFAR10_CHANNELS } from '../../../shared/cifar10Layout';

/** Per-channel mean and standard deviation of [0, 1]-scaled pixels, channels in R, G, B order. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** The identity on [0, 1]-scaled pixels (mean 0, std 1): used when standardization is off. */
export function unitChannelStats(channels = CIFAR10_CHANNELS): ChannelStats {
  return { mean: new Array<number>(channels).fill(0), std: new Array<number>(channels).fill(1) };
}

/**
 * mu_c and sigma_c of NHWC uint8 images (channel fastest). Exact: counts each byte value per channel
 * (a 256-bin histogram), then sums in float64, so the result does not depend on summation order.
 */
export function computeChannelStats(images: Uint8Array, channels = CIFAR10_CHANNELS): ChannelStats {
  const counts = new Float64Array(channels * 256);
  for (let i = 0; i < images.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const bin = c * 256 + (images[i + c] ?? 0);
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    let n = 0;
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      n += counts[c * 256 + v] ?? 0;
      sum += (counts[c * 256 + v] ?? 0) * (v / 255);
    }
    const mu = n > 0 ? sum / n : 0;
    let squares = 0;
    for (let v = 0; v < 256; v++) squares += (counts[c * 256 + v] ?? 0) * (v / 255 - mu) ** 2;
    const sigma = n > 0 ? Math.sqrt(squares / n) : 1;
    mean.push(mu);
    // A constant channel has sigma 0; leave it unscaled rather than divide by zero.
    std.push(sigma > 0 ? sigma : 1);
  }
  return { mean, std };
}

/**
 * The standardized value of every byte per channel: table[c * 256 + v] = (v / 255 - mu_c) / sigma_c.
 * Building a batch is then one table lookup per byte.
 */
export function standardizationTable(stats: ChannelStats): Float32Array {
  const channels = stats.mean.length;
  const table = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - (stats.mean[c] ?? 0)) / (stats.std[c] ?? 1);
  }
  return table;
}

/** Standardizes a whole NHWC uint8 array (channel fastest) to float32. */
export function standardizeImages(images: Uint8Array, stats: ChannelStats): Float32Array {
  const table = standardizationTable(stats);
  const channels = stats.mean.length;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i += channels) {
    for (let c = 0; c < channels; c++) out[i + c] = table[c * 256 + (images[i + c] ?? 0)] ?? 0;
  }
  return out;
}
