import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeWasm, setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { wasmBinaryFolder } from '../../../../../src/main/engine/backends/wasm/wasmBinaryFolder';

describe('setupWasmBackend', () => {
  it('finds the wasm binaries through module resolution', () => {
    for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      expect(existsSync(join(wasmBinaryFolder(), name))).toBe(true);
    }
  });

  it('selects wasm with the training kernels, and can be called again', async () => {
    await setupWasmBackend();
    await setupWasmBackend();
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true);
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
    y.dispose();
  });

  it('describes the wasm build in use', async () => {
    await setupWasmBackend();
    const d = await describeWasm();
    expect(d.trainingKernels).toBe(true);
    // tfjs 4.22 never runs multi-threaded wasm under Node.
    expect(d.threads).toBe(false);
    expect(d.threadsCount).toBe(1);
    expect(typeof d.simd).toBe('boolean');
  });
});
