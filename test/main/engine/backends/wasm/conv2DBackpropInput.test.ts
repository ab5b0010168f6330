import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { afterEach, describe, it } from 'vitest';
import { setConvGemmBlock } from '../../../../../src/main/engine/backends/wasm/convGemm';
import { CONV_CASES, caseName } from './convCases';
import type { ConvCase } from './convCases';
import { convGradient, expectSameOnWasmAsCpu, normal } from './compareWithCpu';

describe('Conv2DBackpropInput on wasm agrees with cpu', () => {
  afterEach(() => setConvGemmBlock(undefined));

  for (const c of CONV_CASES) {
    it(caseName(c), async () => {
      await expectSameOnWasmAsCpu(convGradient(c, 'x'));
    });
  }

  // Channel counts on the kernel's vector path (Co a multiple of 4: four reduction rows per tap load),
  // dx channels past one 8-column panel and not a multiple of 8.
  const wide: ConvCase[] = [
    { x: [2, 9, 7, 20], filter: [3, 3, 20, 8], strides: 1, pad: 'same' },
    { x: [3, 7, 6, 13], filter: [3, 3, 13, 16], strides: 2, pad: 'same' },
    { x: [2, 8, 5, 9], filter: [2, 3, 9, 12], strides: [2, 1], pad: 'valid' },
  ];
  for (const c of wide) {
    it(caseName(c), async () => {
      await expectSameOnWasmAsCpu(convGradient(c, 'x'));
    });
  }

  // Blocks of 4 reduction rows (a block ends inside a tap) and more rows than there are.
  for (const block of [4, 12, 100_000]) {
    it(`with blocks of ${block} reduction rows`, async () => {
      setConvGemmBlock(() => block);
      for (const c of [...CONV_CASES.slice(0, 4), ...wide]) await expectSameOnWasmAsCpu(convGradient(c, 'x'));
    });
  }

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
