/**
 * Optional data augmentation (off by default; the paper uses none), the standard CIFAR recipe:
 * pad the 32x32 image with 4 black pixels on every side (raw value 0, as torchvision's
 * RandomCrop(32, padding=4) does before Normalize), take a random 32x32 crop of the 40x40 result,
 * then mirror it left-right with probability 1/2.
 *
 * Draws come from the stream randomStream(seed, 'augment', step), three per example in batch order
 * (row offset, column offset, flip), always all three whichever of crop/flip is on, so a step's
 * augmentation depends only on (seed, step) and a resumed run repeats it exactly.
 */
import { randomStream } from '../rng/seeds';
import { CIFAR10_CHANNELS, CIFAR10_SIZE } from '../../../shared/cifar10Layout';

export interface AugmentOptions {
  crop: boolean;
  flip: boolean;
}

export const AUGMENT_PADDING = 4;

/**
 * Per example of a batch: the crop origin (dy, dx) in the padded image, each in 0..8 (4 is the
 * un-shifted image), and flip (1 = mirror left-right).
 */
export interface AugmentDraws {
  dy: Uint8Array;
  dx: Uint8Array;
  flip: Uint8Array;
}

export function drawAugmentations(
  seed: number,
  step: number,
  count: number,
  options: AugmentOptions,
): AugmentDraws {
  const random = randomStream(seed, 'augment', step);
  const draws: AugmentDraws = {
    dy: new Uint8Array(count),
    dx: new Uint8Array(count),
    flip: new Uint8Array(count),
  };
  const offsets = 2 * AUGMENT_PADDING + 1;
  for (let i = 0; i < count; i++) {
    const dy = Math.floor(random() * offsets);
    const dx = Math.floor(random() * offsets);
    const flip = random() < 0.5;
    draws.dy[i] = options.crop ? dy : AUGMENT_PADDING;
    draws.dx[i] = options.crop ? dx : AUGMENT_PADDING;
    draws.flip[i] = options.flip && flip ? 1 : 0;
  }
  return draws;
}

/**
 * Writes the standardized, augmented image: with P the padded image and (dy, dx) the crop origin,
 *   out(h, w, c) = table[c][P(dy + h, dx + w')],  w' = flip ? 31 - w : w,
 * where P(i, j) = image(i - 4, j - 4) inside the image and 0 (black) in the padding.
 * `table` is standardizationTable(stats); images are NHWC uint8.
 */
export function copyAugmented(
  images: Uint8Array,
  srcOffset: number,
  out: Float32Array,
  dstOffset: number,
  table: Float32Array,
  dy: number,
  dx: number,
  flip: boolean,
): void {
  const size = CIFAR10_SIZE;
  const channels = CIFAR10_CHANNELS;
  const pad0 = table[0] ?? 0;
  const pad1 = table[256] ?? 0;
  const pad2 = table[512] ?? 0;
  for (let h = 0; h < size; h++) {
    const sh = h + dy - AUGMENT_PADDING;
    const rowOut = dstOffset + h * size * channels;
    const rowIn = srcOffset + sh * size * channels;
    const rowInside = sh >= 0 && sh < size;
    for (let w = 0; w < size; w++) {
      const sw = (flip ? size - 1 - w : w) + dx - AUGMENT_PADDING;
      const o = rowOut + w * channels;
      if (rowInside && sw >= 0 && sw < size) {
        const i = rowIn + sw * channels;
        out[o] = table[images[i] ?? 0] ?? 0;
        out[o + 1] = table[256 + (images[i + 1] ?? 0)] ?? 0;
        out[o + 2] = table[512 + (images[i + 2] ?? 0)] ?? 0;
      } else {
        out[o] = pad0;
        out[o + 1] = pad1;
        out[o + 2] = pad2;
      }
    }
  }
}
