import '../../../../../src/main/engine/tf/registerGradients';
import { afterEach, describe, it } from 'vitest';
import { setFilterGradBlock } from '../../../../../src/main/engine/backends/wasm/conv2DBackpropFilter';
import { CONV_CASES, caseName } from './convCases';
import type { ConvCase } from './convCases';
import { convGradient, expectSameOnWasmAsCpu } from './compareWithCpu';

/**
 * Channel counts that take the kernel's other paths: Ci a multiple of 4 (one 16-byte load per pixel
 * and tap), Co past one 16-column panel and not a multiple of 16 (the partial last panel), M = 9 Ci
 * not a multiple of 4 rows.
 */
const WIDE_CASES: ConvCase[] = [
  { x: [2, 9, 7, 8], filter: [3, 3, 8, 20], strides: 1, pad: 'same' },
  { x: [3, 6, 6, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'same' },
  { x: [2, 5, 8, 7], filter: [2, 3, 7, 17], strides: [2, 1], pad: 'valid' },
  { x: [1, 4, 4, 12], filter: [3, 3, 12, 48], strides: 1, pad: 1 },
];

describe('Conv2DBackpropFilter on wasm agrees with cpu', () => {
  afterEach(() => setFilterGradBlock(undefined));

  for (const c of [...CONV_CASES, ...WIDE_CASES]) {
    it(`${caseName(c)}`, async () => {
      await expectSameOnWasmAsCpu(convGradient(c, 'filter'));
    });
  }

  // Blocks of 1 pixel, of a few pixels (a block ends mid-row and mid-image) and of more pixels than
  // there are: the reduction's blocking must not change the result beyond float rounding.
  for (const block of [1, 5, 10_000]) {
    it(`with blocks of ${block} pixels on ${WIDE_CASES.length + 4} geometries`, async () => {
      setFilterGradBlock(() => block);
      for (const c of [...CONV_CASES.slice(0, 4), ...WIDE_CASES]) {
        await expectSameOnWasmAsCpu(convGradient(c, 'filter'));
      }
    });
  }
});
