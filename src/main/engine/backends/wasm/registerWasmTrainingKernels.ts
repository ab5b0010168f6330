/**
 * NormLab's training kernels for the wasm backend, installed through tfjs's kernel registry
 * (ARCHITECTURE.md, "Known gaps of tfjs 4.22"): Conv2DBackpropFilter (missing in tfjs 4.22),
 * Conv2DBackpropInput and BatchMatMul (scalar C++ loops there), each re-expressed on the backend's
 * own fast XNNPACK kernels; and, where a training step spent its time next: MaxPoolGrad, Sum over
 * leading axes (bias gradients), Identity (the tape's clones) and the Relu gradient. Conv2D keeps
 * the backend's kernel behind a check of a tfjs sizing bug (conv2D.ts). Batch norm's fused training
 * kernels (norms/batchNorm.ts's BATCH_NORM_FORWARD and BATCH_NORM_BACKWARD) are new kernels, which
 * batchNormTrain runs wherever they are registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { BATCH_NORM_BACKWARD, BATCH_NORM_FORWARD } from '../../norms/batchNorm';
import { batchMatMul } from './batchMatMul';
import { batchNormBackward, batchNormForward } from './batchNorm';
import { conv2D } from './conv2D';
import { conv2DBackpropFilter } from './conv2DBackpropFilter';
import { conv2DBackpropInput } from './conv2DBackpropInput';
import { identity } from './identity';
import { maxPoolGrad } from './maxPoolGrad';
import { RELU_GRAD, reluGrad, reluGradConfig, reluGradGradConfig } from './reluGrad';
import { sum } from './sum';

/** Marks our kernel functions, so that a second registration (even from another copy of this module) is a no-op. */
const MARK = Symbol.for('normlab.wasmTrainingKernel');

type MarkedKernelFunc = tf.KernelFunc & { [MARK]?: true };

/** A replacement kernel: receives the config it replaces (if any) to fall back on or to delegate to. */
type Replacement = (original: tf.KernelConfig | undefined) => tf.KernelFunc;

type InputGradArgs = Parameters<typeof conv2DBackpropInput>[0];
type MatMulArgs = Parameters<typeof batchMatMul>[0];
type SumArgs = Parameters<typeof sum>[0];
type ConvArgs = Parameters<typeof conv2D>[0];
type IdentityArgs = Parameters<typeof identity>[0];

const REPLACEMENTS: Record<string, Replacement> = {
  [tf.Conv2D]: (original) => asKernelFunc((args: ConvArgs) => conv2D(args, original)),
  [tf.Conv2DBackpropFilter]: () => asKernelFunc(conv2DBackpropFilter),
  [tf.Conv2DBackpropInput]: (original) =>
    asKernelFunc((args: InputGradArgs) => conv2DBackpropInput(args, original)),
  [tf.BatchMatMul]: (original) => asKernelFunc((args: MatMulArgs) => batchMatMul(args, original)),
  [tf.MaxPoolGrad]: () => asKernelFunc(maxPoolGrad),
  [tf.Sum]: (original) => asKernelFunc((args: SumArgs) => sum(args, original)),
  [tf.Identity]: (original) => asKernelFunc((args: IdentityArgs) => identity(args, original)),
  [RELU_GRAD]: () => asKernelFunc(reluGrad),
  [BATCH_NORM_FORWARD]: () => asKernelFunc(batchNormForward),
  [BATCH_NORM_BACKWARD]: () => asKernelFunc(batchNormBackward),
};

/**
 * Installs the replacements for the 'wasm' backend, and the Relu gradient without the no-op cast
 * (reluGrad.ts); idempotent.
 */
export function registerWasmTrainingKernels(): void {
  if (tf.getGradient(tf.Relu) !== reluGradConfig) tf.registerGradient(reluGradConfig);
  if (tf.getGradient(RELU_GRAD) !== reluGradGradConfig) tf.registerGradient(reluGradGradConfig);
  for (const [kernelName, make] of Object.entries(REPLACEMENTS)) {
    const original = tf.getKernel(kernelName, 'wasm');
    if ((original?.kernelFunc as MarkedKernelFunc | undefined)?.[MARK]) continue;
    const kernelFunc: MarkedKernelFunc = make(original);
    kernelFunc[MARK] = true;
    if (original != null) tf.unregisterKernel(kernelName, 'wasm');
    // The original's setupFunc binds its C++ entry point when the backend initializes; keep it, since
    // the replacement may delegate to the original.
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc,
      ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
    });
  }
}

/** Whether the replacements are installed. */
export function wasmTrainingKernelsRegistered(): boolean {
  return Object.keys(REPLACEMENTS).every(
    (name) => (tf.getKernel(name, 'wasm')?.kernelFunc as MarkedKernelFunc | undefined)?.[MARK] === true,
  );
}

function asKernelFunc<A>(f: (args: A) => tf.TensorInfo | tf.TensorInfo[]): tf.KernelFunc {
  return f as unknown as tf.KernelFunc;
}
