/**
 * The operands of dW = conv(x^T, dy^T) (see conv2DBackpropFilter.ts) for one batch chunk of nb
 * images, gathered straight from the NHWC tensors on the wasm heap:
 *   x^T_c[ci, r, q, n]  = x[c nb + n, r, q, ci]   ("images as channels", [Ci, H, W, nb])
 *   dy^T_c[i, j, n, co] = dy[c nb + n, i, j, co]  (the output gradient as a filter, [Ho, Wo, nb, Co])
 * One pass each, in place of the backend's generic 4-D Transpose plus a copy of the chunk.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernelScope';

export function imagesAsChannels(s: KernelScope, x: tf.TensorInfo, c: number, nb: number): tf.TensorInfo {
  const [, h, w, ci] = x.shape as [number, number, number, number];
  const out = s.alloc([ci, h, w, nb]);
  const src = s.backend.typedArrayFromHeap(x) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(out) as Float32Array;
  const pixels = h * w;
  const plane = pixels * nb;
  for (let n = 0; n < nb; n++) {
    let from = (c * nb + n) * pixels * ci;
    for (let p = 0; p < pixels; p++) {
      let to = p * nb + n;
      for (let k = 0; k < ci; k++, to += plane) dst[to] = src[from++] as number;
    }
  }
  return out;
}

export function outputGradAsFilter(s: KernelScope, dy: tf.TensorInfo, c: number, nb: number): tf.TensorInfo {
  const [, ho, wo, co] = dy.shape as [number, number, number, number];
  const out = s.alloc([ho, wo, nb, co]);
  const src = s.backend.typedArrayFromHeap(dy) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(out) as Float32Array;
  const pixels = ho * wo;
  for (let n = 0; n < nb; n++) {
    let from = (c * nb + n) * pixels * co;
    for (let p = 0; p < pixels; p++, from += co) dst.set(src.subarray(from, from + co), (p * nb + n) * co);
  }
  return out;
}

/**
 * x^T_c as one tall image [1, Ci Hp, W, nb]: plane ci occupies rows [ci Hp, (ci + 1) Hp), with its
 * `before` zero rows, the h rows of x, then `after` zero rows (Hp = before + h + after).
 */
export function imagesAsTallImage(
  s: KernelScope,
  x: tf.TensorInfo,
  c: number,
  nb: number,
  before: number,
  after: number,
): tf.TensorInfo {
  const [, h, w, ci] = x.shape as [number, number, number, number];
  const hp = before + h + after;
  const out = s.alloc([1, ci * hp, w, nb]);
  const src = s.backend.typedArrayFromHeap(x) as Float32Array;
  const dst = s.backend.typedArrayFromHeap(out) as Float32Array;
  const rowSize = w * nb;
  for (let k = 0; k < ci; k++) {
    dst.fill(0, k * hp * rowSize, (k * hp + before) * rowSize);
    dst.fill(0, (k * hp + before + h) * rowSize, (k + 1) * hp * rowSize);
  }
  const plane = hp * rowSize;
  for (let n = 0; n < nb; n++) {
    let from = (c * nb + n) * h * w * ci;
    for (let r = 0; r < h; r++) {
      for (let q = 0; q < w; q++) {
        let to = (before + r) * rowSize + q * nb + n;
        for (let k = 0; k < ci; k++, to += plane) dst[to] = src[from++] as number;
      }
    }
  }
  return out;
}
