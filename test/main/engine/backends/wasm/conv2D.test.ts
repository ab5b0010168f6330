import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { setConvGemmBlock } from '../../../../../src/main/engine/backends/wasm/convGemm';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';
import { CONV_CASES, caseName } from './convCases';
import type { ConvCase } from './convCases';

/** The geometries with input channels in fours: the native kernel's (conv2D.ts); the others are XNNPACK's. */
const NATIVE_CASES: ConvCase[] = CONV_CASES.map((c) => ({
  ...c,
  x: [c.x[0], c.x[1], c.x[2], 8] as ConvCase['x'],
  filter: [c.filter[0], c.filter[1], 8, 12] as ConvCase['filter'],
}));

function forward(c: ConvCase): () => tf.Tensor[] {
  return () => [
    tf.conv2d(normal(c.x, 1) as tf.Tensor4D, normal(c.filter, 2) as tf.Tensor4D, c.strides, c.pad as 'same'),
  ];
}

describe('Conv2D on wasm', () => {
  afterEach(() => setConvGemmBlock(undefined));

  for (const c of [...CONV_CASES, ...NATIVE_CASES]) {
    it(`agrees with cpu: ${caseName(c)}`, async () => {
      await expectSameOnWasmAsCpu(forward(c));
    });
  }

  it('agrees with cpu with reduction blocks of 4 and 12 rows (blocks end inside a tap)', async () => {
    for (const block of [4, 12]) {
      setConvGemmBlock(() => block);
      for (const c of NATIVE_CASES.slice(0, 8)) await expectSameOnWasmAsCpu(forward(c));
    }
  });

  it('agrees with cpu', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([2, 7, 5, 3], 1) as tf.Tensor4D;
      return [
        tf.conv2d(x, normal([3, 3, 3, 4], 2) as tf.Tensor4D, 1, 1),
        tf.conv2d(x, normal([2, 3, 3, 4], 3) as tf.Tensor4D, [2, 1], 'same'),
      ];
    });
  });

  it('refuses a numeric pad that tfjs would size wrongly (instead of writing past the output)', async () => {
    await setupWasmBackend();
    const x = normal([1, 7, 5, 3], 1) as tf.Tensor4D;
    const w = normal([3, 3, 3, 4], 2) as tf.Tensor4D;
    expect(() => tf.conv2d(x, w, [2, 1], 1)).toThrow(/pass the padding explicitly/);
    tf.dispose([x, w]);
  });
});
