import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { afterEach, describe, it } from 'vitest';
import { setInputGradPlanner } from '../../../../../src/main/engine/backends/wasm/conv2DBackpropInput';
import { CONV_CASES, caseName } from './convCases';
import { convGradient, expectSameOnWasmAsCpu, normal } from './compareWithCpu';

describe('Conv2DBackpropInput on wasm agrees with cpu', () => {
  afterEach(() => setInputGradPlanner(undefined));

  for (const c of CONV_CASES) {
    it(caseName(c), async () => {
      await expectSameOnWasmAsCpu(convGradient(c, 'x'));
    });
  }

  it('split into 2 channel groups, on every geometry', async () => {
    setInputGradPlanner(() => 2);
    for (const c of CONV_CASES) await expectSameOnWasmAsCpu(convGradient(c, 'x'));
  });

  it('conv2dTranspose with stride 2 and an odd output size (the forward output was cropped)', async () => {
    await expectSameOnWasmAsCpu(() => {
      const w = normal([3, 3, 5, 6], 5) as tf.Tensor4D;
      // 'valid', 8 -> 3: the last input row and column reach no output; 'same', 7x5 -> 4x3.
      const dyValid = normal([2, 3, 3, 6], 4) as tf.Tensor4D;
      const dySame = normal([2, 4, 3, 6], 6) as tf.Tensor4D;
      return [
        tf.conv2dTranspose(dyValid, w, [2, 8, 8, 5], 2, 'valid'),
        tf.conv2dTranspose(dySame, w, [2, 7, 5, 5], 2, 'same'),
      ];
    });
  });
});
