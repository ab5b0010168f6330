/**
 * Test support: the convolution geometries every conv gradient kernel is checked on (odd sizes,
 * strides 1, 2 and 2x1, 'same'/'valid'/numeric/explicit padding, 3x3, 1x1 and 2x3 kernels, 3 and 5
 * input channels, batch 1 and 3).
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: tf.Conv2DAttrs['pad'];
}

const PADS: tf.Conv2DAttrs['pad'][] = [
  'same',
  'valid',
  1,
  [
    [0, 0],
    [1, 2],
    [0, 1],
    [0, 0],
  ],
];
const KERNELS: [number, number][] = [
  [3, 3],
  [1, 1],
  [2, 3],
];

export const CONV_CASES: ConvCase[] = [];
for (const [batch, cin] of [
  [1, 3],
  [3, 5],
] as const) {
  for (const [kh, kw] of KERNELS) {
    for (const strides of [1, 2, [2, 1]] as (number | [number, number])[]) {
      for (const pad of PADS) {
        // tfjs sizes a numeric pad from the height values alone: only square kernels and strides (see
        // assertNumericPadSizesRight); the explicit pad covers the rest.
        const square = kh === kw && typeof strides === 'number';
        if (typeof pad === 'number' && !square) continue;
        CONV_CASES.push({ x: [batch, 7, 5, cin], filter: [kh, kw, cin, 4], strides, pad });
      }
    }
  }
}

export function caseName(c: ConvCase): string {
  return `x ${c.x.join('x')} filter ${c.filter.join('x')} strides ${String(c.strides)} pad ${JSON.stringify(c.pad)}`;
}
