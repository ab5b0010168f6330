/**
 * MaxPoolGrad for the wasm backend, as one pass over the heap (tfjs 4.22's C++ kernel goes through
 * a generic 3D pooling template and, with its FLT_MIN initial value and `>=`, sends the gradient of
 * an all-zero window to element 0 and that of a tie to the last maximum).
 *
 * For y = maxPool(x), dx[p] = sum over windows w whose first maximum (row-major order within the
 * window, as the cpu backend and PyTorch choose it) sits at p of dy[w].
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.MaxPoolGradAttrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy;
  const input = inputs.input;
  if (dy == null || input == null) throw new Error('MaxPoolGrad needs inputs dy and input');
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views after makeOutput: an allocation may grow the wasm memory and detach older views.
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const best = new Float32Array(channels);
  const at = new Int32Array(channels);
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      const r0 = i * strideHeight - info.padInfo.top;
      const rFrom = Math.max(r0, 0);
      const rTo = Math.min(r0 + effectiveFilterHeight, inHeight);
      for (let j = 0; j < outWidth; j++, o += channels) {
        const q0 = j * strideWidth - info.padInfo.left;
        const qFrom = Math.max(q0, 0);
        const qTo = Math.min(q0 + effectiveFilterWidth, inWidth);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = rFrom; r < rTo; r++) {
          for (let q = qFrom; q < qTo; q++) {
            const base = ((n * inHeight + r) * inWidth + q) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const p = at[c] as number;
          if (p >= 0) out[p] = (out[p] as number) + (g[o + c] as number);
        }
      }
    }
  }
  return dx;
}
