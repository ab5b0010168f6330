/**
 * Batch normalization in training mode for the wasm backend, as two fused kernels (the contract is in
 * norms/batchNorm.ts, which runs them when the active backend registers them): the forward pass reads
 * x twice for the per-channel statistics and once to write z; the backward pass reads g and x once
 * for sum g and sum g (x - mu) and once to write dx. Both run NormLab's SIMD kernels
 * (native/batchNorm.c) on the backend's heap and threads; the ops they replace made 4 Sum passes and
 * about 10 elementwise passes per layer.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_BACKWARD, BATCH_NORM_FORWARD } from '../../norms/batchNorm';
import { batchNormWasm } from './native/batchNormWasm';
import { heapOffset, NativeKernels } from './native/nativeKernels';

/**
 * Rows per reduction block (each block's per-channel sums are accumulated in float32, then kept in
 * float64): about 64 KiB of x per block, so a block stays in L2 while its 16-channel column strips
 * are summed one after another, and at most 256 rows, so float32 adds at most 256 terms. Depends on C
 * alone, never on the thread count (the sums' bits must not).
 */
let planBlockRows: (channels: number) => number = defaultBlockRows;

/** Replaces the block rule (for tests of the block edges); `undefined` restores the default. */
export function setBatchNormBlockRows(rule: ((channels: number) => number) | undefined): void {
  planBlockRows = rule ?? defaultBlockRows;
}

function defaultBlockRows(channels: number): number {
  return Math.min(256, Math.max(16, Math.floor(16384 / channels)));
}

interface Layout {
  rows: number;
  channels: number;
  blockRows: number;
  blocks: number;
}

function layout(x: tf.TensorInfo, kernel: string): Layout {
  if (x.dtype !== 'float32') throw new Error(`${kernel} supports float32 only`);
  if (x.shape.length < 2) throw new Error(`${kernel} needs x of rank 2 or more (rows, then channels last)`);
  const channels = x.shape[x.shape.length - 1] as number;
  const size = x.shape.reduce((a, b) => a * b, 1);
  if (size === 0) throw new Error(`${kernel} needs a non-empty x`);
  const rows = size / channels;
  const blockRows = Math.max(1, Math.floor(planBlockRows(channels)));
  return { rows, channels, blockRows, blocks: Math.ceil(rows / blockRows) };
}

function perChannel(
  t: tf.TensorInfo | undefined,
  name: string,
  channels: number,
  kernel: string,
): tf.TensorInfo {
  if (t == null) throw new Error(`${kernel} needs input ${name}`);
  if (t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== channels) {
    throw new Error(`${kernel}: ${name} must be float32 of shape [${channels}], got [${t.shape.join(', ')}]`);
  }
  return t;
}

/**
 * Scratch for one call: two float64 partial-sum tables [blocks][C] (4 C floats per block), `extra`
 * per-channel float32 arrays and one float (the forward pass's epsilon, after the arrays); returns
 * the scratch and the byte offsets of the tables and the arrays.
 */
function scratchFor(
  backend: BackendWasm,
  l: Layout,
  extra: number,
): { scratch: tf.TensorInfo; part1: number; part2: number; arrays: number[] } {
  const tableFloats = 2 * l.blocks * l.channels;
  const scratch = backend.makeOutput([2 * tableFloats + extra * l.channels + 1], 'float32');
  const base = heapOffset(backend, scratch);
  const arrays = Array.from({ length: extra }, (_, k) => base + 4 * (2 * tableFloats + k * l.channels));
  return { scratch, part1: base, part2: base + 4 * tableFloats, arrays };
}

/** Runs `body`; on failure frees `outputs` too. The scratch is always freed. */
function guarded(
  backend: BackendWasm,
  scratch: tf.TensorInfo,
  outputs: tf.TensorInfo[],
  body: () => void,
): void {
  try {
    body();
  } catch (e) {
    for (const t of outputs) backend.disposeData(t.dataId);
    throw e;
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

/**
 * Forward: inputs x [..., C], gamma [C], beta [C]; attrs epsilon. Outputs z (x's shape), the batch
 * mean, the biased batch variance and s = 1/sqrt(variance + epsilon), each [C].
 */
export function batchNormForward(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: { epsilon: number };
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const kernel = BATCH_NORM_FORWARD;
  const x = inputs.x;
  if (x == null) throw new Error(`${kernel} needs input x`);
  const l = layout(x, kernel);
  const gamma = perChannel(inputs.gamma, 'gamma', l.channels, kernel);
  const beta = perChannel(inputs.beta, 'beta', l.channels, kernel);
  const c = l.channels;
  const z = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  const inv = backend.makeOutput([c], 'float32');
  const outputs = [z, mean, variance, inv];
  // Per-channel arrays: the centre of pass 2 and k = gamma s; then epsilon (floats cannot be args).
  const { scratch, part1, part2, arrays } = scratchFor(backend, l, 2);
  const [centre, k] = arrays as [number, number];
  const epsAt = k + 4 * c;
  (backend.typedArrayFromHeap(scratch) as Float32Array)[(epsAt - part1) / 4] = attrs.epsilon;
  const kernels = NativeKernels.for(backend);
  const [px, pz, pMean] = [heapOffset(backend, x), heapOffset(backend, z), heapOffset(backend, mean)];
  guarded(backend, scratch, outputs, () => {
    // Pass 1: sums of x - x[0] (the first row as the shift), then the centre.
    kernels.run(batchNormWasm, 'bn_sums', [px, l.rows, c, l.blockRows, px, 0, part1, part2]);
    kernels.run(batchNormWasm, 'bn_centre', [part1, l.blocks, l.rows, c, px, centre]);
    // Pass 2: sums of x - centre and of its squares, then mean, variance, s and k.
    kernels.run(batchNormWasm, 'bn_sums', [px, l.rows, c, l.blockRows, centre, 1, part1, part2]);
    kernels.run(batchNormWasm, 'bn_stats', [
      part1,
      part2,
      l.blocks,
      l.rows,
      c,
      centre,
      heapOffset(backend, gamma),
      epsAt,
      pMean,
      heapOffset(backend, variance),
      heapOffset(backend, inv),
      k,
    ]);
    kernels.run(batchNormWasm, 'bn_affine', [px, l.rows, c, pMean, k, heapOffset(backend, beta), pz]);
  });
  return outputs;
}

/**
 * Backward: inputs dz (x's shape), x, and the forward's mean, invStd (s) and gamma; outputs dx,
 * dGamma and dBeta.
 */
export function batchNormBackward(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
}): tf.TensorInfo[] {
  const { inputs, backend } = args;
  const kernel = BATCH_NORM_BACKWARD;
  const { dz, x } = inputs;
  if (dz == null || x == null) throw new Error(`${kernel} needs inputs dz and x`);
  const l = layout(x, kernel);
  if (dz.dtype !== 'float32' || dz.shape.join() !== x.shape.join()) {
    throw new Error(`${kernel}: dz must be float32 of x's shape [${x.shape.join(', ')}]`);
  }
  const c = l.channels;
  const mean = perChannel(inputs.mean, 'mean', c, kernel);
  const inv = perChannel(inputs.invStd, 'invStd', c, kernel);
  const gamma = perChannel(inputs.gamma, 'gamma', c, kernel);
  const dx = backend.makeOutput(x.shape, 'float32');
  const dGamma = backend.makeOutput([c], 'float32');
  const dBeta = backend.makeOutput([c], 'float32');
  const outputs = [dx, dGamma, dBeta];
  const { scratch, part1, part2, arrays } = scratchFor(backend, l, 3);
  const [a, b, cc] = arrays as [number, number, number];
  const kernels = NativeKernels.for(backend);
  const [pg, px, pMean] = [heapOffset(backend, dz), heapOffset(backend, x), heapOffset(backend, mean)];
  guarded(backend, scratch, outputs, () => {
    kernels.run(batchNormWasm, 'bn_grad_sums', [pg, px, l.rows, c, l.blockRows, pMean, part1, part2]);
    kernels.run(batchNormWasm, 'bn_grad_coeffs', [
      part1,
      part2,
      l.blocks,
      l.rows,
      c,
      heapOffset(backend, gamma),
      heapOffset(backend, inv),
      heapOffset(backend, dGamma),
      heapOffset(backend, dBeta),
      a,
      b,
      cc,
    ]);
    kernels.run(batchNormWasm, 'bn_grad_apply', [
      pg,
      px,
      l.rows,
      c,
      pMean,
      a,
      b,
      cc,
      heapOffset(backend, dx),
    ]);
  });
  return outputs;
}
