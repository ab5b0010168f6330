/**
 * Runs native/convGemm.c, the implicit-GEMM convolution kernel, into a new output tensor.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGemmWasm } from './native/convGemmWasm';
import { heapOffset, NativeKernels } from './native/nativeKernels';

export interface ConvGemmProblem {
  /** 'forward': y = conv(x, W); 'input-gradient': dx = conv^T(dy, W) (convGemm.c, modes 0 and 1). */
  mode: 'forward' | 'input-gradient';
  input: tf.TensorInfo;
  filter: tf.TensorInfo;
  batch: number;
  inRows: number;
  inCols: number;
  inChannels: number;
  outRows: number;
  outCols: number;
  outChannels: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
  /** B(a, b, c, j) = filter[(a kw + b) tapStride + c cStride + j jStride]. */
  tapStride: number;
  cStride: number;
  jStride: number;
}

/**
 * Rows of the reduction per block (a multiple of 4): B's packed block, Kc x the output channels,
 * stays in L2 while the pixel panels stream past it.
 */
let planBlock: (p: ConvGemmProblem) => number = () => 256;

/** Replaces the block-size rule (for measurements and tests); `undefined` restores the default. */
export function setConvGemmBlock(planner: ((p: ConvGemmProblem) => number) | undefined): void {
  planBlock = planner ?? (() => 256);
}

export function runConvGemm(backend: BackendWasm, p: ConvGemmProblem): tf.TensorInfo {
  const out = backend.makeOutput([p.batch, p.outRows, p.outCols, p.outChannels], 'float32');
  if (p.batch * p.outRows * p.outCols * p.outChannels === 0) return out;
  const kernels = NativeKernels.for(backend);
  const kc = Math.max(4, Math.round(planBlock(p) / 4) * 4);
  const npad = Math.ceil(p.outChannels / 8) * 8;
  const perThread = kc * (npad + 4) + 32;
  const scratch = backend.makeOutput([kernels.threads * perThread], 'float32');
  try {
    kernels.run(convGemmWasm, 'conv_gemm', [
      heapOffset(backend, p.input),
      heapOffset(backend, p.filter),
      heapOffset(backend, out),
      p.mode === 'forward' ? 0 : 1,
      p.batch,
      p.inRows,
      p.inCols,
      p.inChannels,
      p.outRows,
      p.outCols,
      p.outChannels,
      p.kh,
      p.kw,
      p.sh,
      p.sw,
      p.padTop,
      p.padLeft,
      p.tapStride,
      p.cStride,
      p.jStride,
      kc,
      heapOffset(backend, scratch),
    ]);
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return out;
}
