import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterEach, describe, it } from 'vitest';
import { setFilterGradPlanner } from '../../../../../src/main/engine/backends/wasm/conv2DBackpropFilter';
import type { FilterGradPlan } from '../../../../../src/main/engine/backends/wasm/conv2DBackpropFilter';
import { CONV_CASES, caseName } from './convCases';
import type { ConvCase } from './convCases';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

/** dL/dW of L = sum(conv(x, W) * r) for a fixed random r, i.e. Conv2DBackpropFilter with dy = r. */
function filterGrad(c: ConvCase): () => tf.Tensor[] {
  return () => {
    const x = normal(c.x, 1) as tf.Tensor4D;
    const w = normal(c.filter, 2) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.strides, c.pad as 'same');
    const r = normal(y.shape, 3);
    return [
      tf.grad((wv: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(x, wv as tf.Tensor4D, c.strides, c.pad as 'same'), r)),
      )(w),
    ];
  };
}

describe('Conv2DBackpropFilter on wasm agrees with cpu', () => {
  afterEach(() => setFilterGradPlanner(undefined));

  for (const c of CONV_CASES) {
    it(`default plan, ${caseName(c)}`, async () => {
      await expectSameOnWasmAsCpu(filterGrad(c));
    });
  }

  const plans: FilterGradPlan[] = [
    { method: 'conv', chunks: 1 },
    { method: 'conv', chunks: 3 },
    { method: 'tall', chunks: 1 },
    { method: 'tall', chunks: 3 },
    { method: 'im2col', chunks: 1 },
    { method: 'im2col', chunks: 3 },
  ];
  const planCases = CONV_CASES.filter((c) => c.x[0] === 3 && c.filter[0] !== 1);
  for (const plan of plans) {
    it(`plan ${JSON.stringify(plan)} on ${planCases.length} geometries`, async () => {
      setFilterGradPlanner(() => plan);
      for (const c of planCases) await expectSameOnWasmAsCpu(filterGrad(c));
    });
  }
});
