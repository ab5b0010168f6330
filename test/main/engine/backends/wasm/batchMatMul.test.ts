import * as tf from '@tensorflow/tfjs-core';
import '../../../../../src/main/engine/tf/registerGradients';
import { describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { expectClose, expectSameOnWasmAsCpu, normal, runOn } from './compareWithCpu';

const CASES: [number[], number[]][] = [
  [
    [5, 7],
    [7, 3],
  ],
  [
    [4, 5, 7],
    [4, 7, 3],
  ],
  [
    [1, 5, 7],
    [4, 7, 3],
  ],
  [
    [4, 5, 7],
    [1, 7, 3],
  ],
];

/** Operand shapes for C = op(A) op(B) with op = transpose when asked. */
function operands(a: number[], b: number[], ta: boolean, tb: boolean): [number[], number[]] {
  const t = (s: number[]): number[] => [
    ...s.slice(0, -2),
    s[s.length - 1] as number,
    s[s.length - 2] as number,
  ];
  return [ta ? t(a) : a, tb ? t(b) : b];
}

describe('BatchMatMul on wasm agrees with cpu', () => {
  for (const [a, b] of CASES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        it(`${JSON.stringify(a)} x ${JSON.stringify(b)}, transposeA=${ta}, transposeB=${tb}`, async () => {
          const [sa, sb] = operands(a, b, ta, tb);
          await expectSameOnWasmAsCpu(() => [tf.matMul(normal(sa, 1), normal(sb, 2), ta, tb)]);
        });
      }
    }
  }

  it('broadcasts batch dims both ways ([2,1] with [1,3]), as the batch products of the tiled operands', async () => {
    // tfjs's cpu kernel does not broadcast two batch dims against each other; tile them there.
    for (const [ta, tb] of [
      [false, false],
      [true, true],
    ]) {
      const [sa, sb] = operands([2, 1, 5, 7], [1, 3, 7, 2], ta as boolean, tb as boolean);
      const expected = await runOn('cpu', () => [
        tf.matMul(tf.tile(normal(sa, 1), [1, 3, 1, 1]), tf.tile(normal(sb, 2), [2, 1, 1, 1]), ta, tb),
      ]);
      const actual = await runOn('wasm', () => [tf.matMul(normal(sa, 1), normal(sb, 2), ta, tb)]);
      expectClose(actual, expected);
    }
  });

  it('a rank-3 A times a matrix B (B shared by the batch)', async () => {
    await expectSameOnWasmAsCpu(() => [tf.matMul(normal([3, 5, 7], 1), normal([7, 4], 2))]);
  });

  it('the gradients of a dense layer (transposed products)', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([6, 9], 1);
      const w = normal([9, 4], 2);
      const r = normal([6, 4], 3);
      return tf.grads((xv: tf.Tensor, wv: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xv, wv), r)))([x, w]);
    });
  });

  it('makes no tensors beyond its result', async () => {
    await setupWasmBackend();
    const a = normal([4, 7, 5], 1);
    const b = normal([1, 3, 7], 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.matMul(a, b, true, true).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
