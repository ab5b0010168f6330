/**
 * BatchMatMul for the wasm backend, routed onto XNNPACK's fully-connected GEMM: tfjs 4.22 sends
 * only a single, untransposed C = A B there and runs transposeA/transposeB and batched products as
 * a scalar C++ loop.
 *
 * - transposeA / transposeB: A^T B = (explicit transpose of A) B, likewise for B.
 * - B shared across the batch (its batch size 1): C_i = A_i B for all i is one GEMM of the stacked
 *   [batch M, K] A with B.
 * - A shared (batch size 1): [C_1 ... C_b] = A [B_1 ... B_b], one GEMM with the B_i side by side,
 *   [K, batch N], then C as [M, batch, N] transposed to [batch, M, N].
 * - otherwise one GEMM per batch element, operands copied out of and into the batched buffers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { inKernelScope } from './kernelScope';
import type { KernelScope } from './kernelScope';

export function batchMatMul(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.BatchMatMulAttrs },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a;
  const b = inputs.b;
  if (a == null || b == null) throw new Error('BatchMatMul needs inputs a and b');
  if (original == null) throw new Error('the wasm backend has no BatchMatMul kernel to build on');
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error('BatchMatMul on wasm supports float32 only');
  }
  const { transposeA, transposeB } = attrs;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(aOuter);
  const batchB = tf.util.sizeFromShape(bOuter);
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [k2, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== k2) {
    throw new Error(
      `matMul inner sizes differ: ${a.shape} x ${b.shape} (transposeA=${transposeA}, transposeB=${transposeB})`,
    );
  }
  if (!transposeA && !transposeB && batchA === 1 && batchB === 1) {
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const gemm = (s: KernelScope, x: tf.TensorInfo, y: tf.TensorInfo): tf.TensorInfo =>
    s.run(tf.BatchMatMul, { a: x, b: y }, { transposeA: false, transposeB: false }, original);

  return inKernelScope(backend, (s) => {
    // Untransposed [batch, M, K] and [batch, K, N] operands.
    let a3 = s.reshape(a, [batchA, aRows, aCols]);
    if (transposeA) a3 = s.transpose(a3, [0, 2, 1]);
    let b3 = s.reshape(b, [batchB, bRows, bCols]);
    if (transposeB) b3 = s.transpose(b3, [0, 2, 1]);

    let c: tf.TensorInfo;
    if (batchB === 1) {
      c = gemm(s, s.reshape(a3, [1, batchA * m, k]), b3);
    } else if (batchA === 1) {
      const bSide = s.reshape(s.transpose(b3, [1, 0, 2]), [1, k, batchB * n]);
      c = s.transpose(s.reshape(gemm(s, a3, bSide), [m, batchB, n]), [1, 0, 2]);
    } else {
      c = perBatch(s, a3, b3, aOuter, bOuter, outOuter, gemm);
    }
    return s.reshape(c, [...outOuter, m, n]);
  });
}

/** C_i = A_{i_a} B_{i_b} for each output batch index i, with broadcasting of the batch dims. */
function perBatch(
  s: KernelScope,
  a3: tf.TensorInfo,
  b3: tf.TensorInfo,
  aOuter: number[],
  bOuter: number[],
  outOuter: number[],
  gemm: (s: KernelScope, x: tf.TensorInfo, y: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo {
  const [, m, k] = a3.shape as [number, number, number];
  const n = b3.shape[2] as number;
  const batch = tf.util.sizeFromShape(outOuter);
  const c = s.alloc([batch, m, n]);
  const ai = s.alloc([1, m, k]);
  const outStrides = tf.util.computeStrides(outOuter);
  for (let i = 0; i < batch; i++) {
    const index = outOuter.length > 1 ? tf.util.indexToLoc(i, outOuter.length, outStrides) : [i];
    s.copy(a3, broadcastIndex(index, aOuter) * m * k, ai, 0, m * k);
    // A fresh B each time: XNNPACK caches the packed weights of an operator by the B tensor's id.
    const bi = s.alloc([1, k, n]);
    s.copy(b3, broadcastIndex(index, bOuter) * k * n, bi, 0, k * n);
    const ci = gemm(s, ai, bi);
    s.copy(ci, 0, c, i * m * n, m * n);
    s.release(ci);
    s.release(bi);
  }
  return c;
}

/** The flat batch index into an operand with batch dims `dims`, for the output batch index `loc`. */
function broadcastIndex(loc: number[], dims: number[]): number {
  const offset = loc.length - dims.length;
  let flat = 0;
  for (let d = 0; d < dims.length; d++) {
    const size = dims[d] as number;
    flat = flat * size + (size === 1 ? 0 : (loc[d + offset] as number));
  }
  return flat;
}
