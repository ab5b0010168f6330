import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeWasm, setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import { wasmBinaryFolder } from '../../../../../src/main/engine/backends/wasm/wasmBinaryFolder';
import { wasmThreadsWanted } from '../../../../../src/main/engine/backends/wasm/wasmThreads';

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
    // Every core (at most 8) unless NORMLAB_WASM_THREADS says otherwise; tfjs alone would use one.
    expect(d.threadsWanted).toBe(wasmThreadsWanted());
    expect(d.threadsCount).toBe(d.threadsWanted);
    expect(d.threadsError).toBeUndefined();
    expect(typeof d.simd).toBe('boolean');
  });
});
