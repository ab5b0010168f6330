import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { setSumBlockRows } from '../../../../../src/main/engine/backends/wasm/sum';
import { expectSameOnWasmAsCpu, normal } from './compareWithCpu';

afterEach(() => setSumBlockRows(undefined));

afterAll(() => {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

describe('Sum on wasm agrees with cpu', () => {
  it('over leading axes (the bias gradient), with and without keepDims', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([3, 7, 5, 4], 1);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [1, 0]), tf.sum(x, 0, true), tf.sum(x, [0, 1, 2], true)];
    });
  });

  it('on column counts of each path: 8-column strips, single columns and both', async () => {
    await expectSameOnWasmAsCpu(() => [
      tf.sum(normal([8, 2, 2, 3], 3), [0, 1, 2]),
      tf.sum(normal([3, 5], 4), 0),
      tf.sum(normal([4, 5, 5, 64], 5), [0, 1, 2]),
      tf.sum(normal([9, 4, 3, 27], 6), [0, 1, 2]),
      tf.sum(normal([70, 1], 7), 0),
    ]);
  });

  // Blocks of 1 row, of 3 rows (the last one partial) and of more rows than there are.
  for (const rows of [1, 3, 10_000]) {
    it(`with blocks of ${rows} rows`, async () => {
      setSumBlockRows(() => rows);
      await expectSameOnWasmAsCpu(() => [
        tf.sum(normal([5, 3, 3, 27], 8), [0, 1, 2]),
        tf.sum(normal([7, 2], 9), 0),
      ]);
    });
  }

  it('over other axes (the original kernel)', async () => {
    await expectSameOnWasmAsCpu(() => {
      const x = normal([3, 7, 5, 4], 2);
      return [tf.sum(x), tf.sum(x, 3), tf.sum(x, [1, 3]), tf.sum(x, [0, 1, 2, 3])];
    });
  });
});

describe('Sum over leading axes on wasm', () => {
  it('rounds the exact sum once: float64 accumulation, even where the terms cancel', async () => {
    await setupWasmBackend();
    const [rows, cols] = [20_000, 11];
    // 10^4 rows of +1e4 then 10^4 rows of -1e4 (plus distinct fractions): the column sums are about 10
    // while the running sums reach 1e8, where float32's spacing is 8. Float32 accumulation (even in
    // blocks of 256 rows) misses them by 2 to 17; float64 is exact here.
    const v = new Float32Array(rows * cols);
    for (let i = 0; i < v.length; i++) {
      v[i] = (i < v.length / 2 ? 1 : -1) * (1e4 + ((i * 7919) % 1009) / 997);
    }
    const out = tf.tidy(() => tf.sum(tf.tensor2d(v, [rows, cols]), 0).dataSync());
    for (let c = 0; c < cols; c++) {
      let exact = 0;
      for (let r = 0; r < rows; r++) exact += v[r * cols + c] as number;
      const spacing = 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 23);
      expect(Math.abs((out[c] as number) - exact), `column ${c}`).toBeLessThanOrEqual(spacing);
    }
  });

  it('gives the same bits on 1, 2, 3 and 4 threads', async () => {
    const run = async (threads: number): Promise<Float32Array[]> => {
      if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
      await setupWasmBackend(threads);
      return tf.tidy(() =>
        [tf.sum(normal([16, 8, 8, 27], 1), [0, 1, 2]), tf.sum(normal([999, 5], 2), 0)].map(
          (t) => t.dataSync() as Float32Array,
        ),
      );
    };
    setSumBlockRows(() => 13);
    const one = await run(1);
    for (const threads of [2, 3, 4]) {
      const many = await run(threads);
      many.forEach((a, k) =>
        expect(Array.from(a), `output ${k} on ${threads} threads`).toEqual(
          Array.from(one[k] as Float32Array),
        ),
      );
    }
  });
});
