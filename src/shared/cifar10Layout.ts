/**
 * The CIFAR-10 binary layout (https://www.cs.toronto.edu/~kriz/cifar.html): every record is
 * 1 label byte (0-9) followed by 3072 pixel bytes, 1024 red, 1024 green, 1024 blue, each plane a
 * 32x32 image in row-major order (CHW). NormLab keeps images in memory as NHWC uint8 (channel
 * fastest), the layout of a tfjs [N, 32, 32, 3] tensor, so a batch is a straight per-byte copy.
 */

export const CIFAR10_SIZE = 32;
export const CIFAR10_CHANNELS = 3;
/** Pixels of one plane: 32 * 32. */
export const CIFAR10_PLANE = CIFAR10_SIZE * CIFAR10_SIZE;
/** Bytes of one image: 3 * 32 * 32 = 3072. */
export const CIFAR10_IMAGE_BYTES = CIFAR10_CHANNELS * CIFAR10_PLANE;
/** Bytes of one record: the label byte and the image, 3073. */
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_IMAGE_BYTES;
export const CIFAR10_CLASSES = 10;

/** The class names in label order, used when the folder has no batches.meta.txt. */
export const CIFAR10_DEFAULT_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/**
 * Copies one CHW image (`src` from `srcOffset`, planes R, G, B) into NHWC order (`dst` from
 * `dstOffset`): dst[(h * 32 + w) * 3 + c] = src[c * 1024 + h * 32 + w].
 */
export function chwToHwc(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void {
  for (let p = 0; p < CIFAR10_PLANE; p++) {
    const o = dstOffset + p * CIFAR10_CHANNELS;
    dst[o] = src[srcOffset + p] ?? 0;
    dst[o + 1] = src[srcOffset + CIFAR10_PLANE + p] ?? 0;
    dst[o + 2] = src[srcOffset + 2 * CIFAR10_PLANE + p] ?? 0;
  }
}
