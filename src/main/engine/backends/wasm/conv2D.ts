/**
 * Conv2D for the wasm backend: the backend's own XNNPACK kernel, behind a check that refuses the
 * numeric-pad geometries tfjs 4.22 sizes wrongly (they make XNNPACK write past the output buffer;
 * see assertNumericPadSizesRight).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assertNumericPadSizesRight } from './convGeometry';

export function conv2D(
  args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.Conv2DAttrs },
  original: tf.KernelConfig | undefined,
): tf.TensorInfo {
  const { inputs, attrs } = args;
  const x = inputs.x;
  const filter = inputs.filter;
  if (x == null || filter == null) throw new Error('Conv2D needs inputs x and filter');
  if (original == null) throw new Error('the wasm backend has no Conv2D kernel to build on');
  assertNumericPadSizesRight(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}
