/**
 * Builds the float32 NHWC pixels of a CIFAR-10 batch from the uint8 images kept on the JS side: one
 * table lookup per byte (standardization, see standardization.ts) and, when asked, the crop/flip of
 * augmentation.ts. The result feeds a single tf.tensor4d call.
 */
import { copyAugmented } from './augmentation';
import type { AugmentDraws } from './augmentation';
import { CIFAR10_IMAGE_BYTES } from '../../../shared/cifar10Layout';

/**
 * Returns pixels[b * 3072 + (h * 32 + w) * 3 + c] for the examples `indices`, standardized by
 * `table` (standardizationTable) and augmented by `draws` when given.
 */
export function buildImageBatch(
  images: Uint8Array,
  indices: ArrayLike<number>,
  table: Float32Array,
  draws?: AugmentDraws,
): Float32Array {
  const out = new Float32Array(indices.length * CIFAR10_IMAGE_BYTES);
  for (let b = 0; b < indices.length; b++) {
    const src = (indices[b] ?? 0) * CIFAR10_IMAGE_BYTES;
    const dst = b * CIFAR10_IMAGE_BYTES;
    if (draws) {
      copyAugmented(images, src, out, dst, table, draws.dy[b] ?? 4, draws.dx[b] ?? 4, draws.flip[b] === 1);
      continue;
    }
    // Views per image measured faster than offset arithmetic (about 1.5 vs 2 ms per 128 images).
    const image = images.subarray(src, src + CIFAR10_IMAGE_BYTES);
    const pixels = out.subarray(dst, dst + CIFAR10_IMAGE_BYTES);
    for (let p = 0; p < CIFAR10_IMAGE_BYTES; p += 3) {
      pixels[p] = table[image[p] ?? 0] ?? 0;
      pixels[p + 1] = table[256 + (image[p + 1] ?? 0)] ?? 0;
      pixels[p + 2] = table[512 + (image[p + 2] ?? 0)] ?? 0;
    }
  }
  return out;
}
