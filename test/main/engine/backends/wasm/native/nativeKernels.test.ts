import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { setupWasmBackend } from '../../../../../../src/main/engine/backends/wasm';
import { filterGradWasm } from '../../../../../../src/main/engine/backends/wasm/native/filterGradWasm';
import {
  CONTROL_GENERATION,
  CONTROL_PENDING,
  heapOffset,
  NativeKernels,
} from '../../../../../../src/main/engine/backends/wasm/native/nativeKernels';
import { filterGradScratchFloats } from '../../../../../../src/main/engine/backends/wasm/conv2DBackpropFilter';

async function backendWith(threads: number): Promise<BackendWasm> {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
  await setupWasmBackend(threads);
  return tf.backend() as BackendWasm;
}

/** dW of a 3x3 'same' convolution through the native kernel directly, on `threads` threads. */
async function filterGrad(threads: number, kc: number, ci = 8): Promise<Float32Array> {
  return filterGradOn(await backendWith(threads), threads, kc, ci);
}

/** dW with `ci` input channels (a multiple of 4: 4-row panels; else the by-tap im2col block). */
function filterGradOn(backend: BackendWasm, threads: number, kc: number, ci = 8): Float32Array {
  const kernels = NativeKernels.for(backend);
  expect(kernels.threads).toBe(threads);
  const [n, h, w, co] = [3, 9, 7, 20];
  const x = tf.randomNormal([n, h, w, ci], 0, 1, 'float32', 1);
  const dy = tf.randomNormal([n, h, w, co], 0, 1, 'float32', 2);
  const dw = backend.makeOutput([3, 3, ci, co], 'float32');
  const scratch = backend.makeOutput([threads * filterGradScratchFloats(3, 3, ci, co, kc)], 'float32');
  kernels.run(filterGradWasm, 'filter_grad', [
    heapOffset(backend, x),
    heapOffset(backend, dy),
    heapOffset(backend, dw),
    n,
    h,
    w,
    ci,
    h,
    w,
    co,
    3,
    3,
    1,
    1,
    1,
    1,
    kc,
    heapOffset(backend, scratch),
  ]);
  const out = (backend.typedArrayFromHeap(dw) as Float32Array).slice();
  backend.disposeData(dw.dataId);
  backend.disposeData(scratch.dataId);
  tf.dispose([x, dy]);
  return out;
}

afterAll(() => {
  if (tf.findBackend('wasm') != null) tf.removeBackend('wasm');
});

describe('native wasm kernels', () => {
  for (const ci of [8, 3, 5]) {
    it(`run on the backend heap, on as many threads as XNNPACK, with the same bits on 1, 2, 3 and 4 (${ci} channels)`, async () => {
      const one = await filterGrad(1, 16, ci);
      expect(one.some((v) => v !== 0)).toBe(true);
      for (const threads of [2, 3, 4]) {
        const many = await filterGrad(threads, 16, ci);
        let differing = 0;
        for (let i = 0; i < one.length; i++) if (many[i] !== one[i]) differing++;
        expect(differing, `${threads} threads`).toBe(0);
      }
    });
  }

  it('refuses arguments that are not int32 and kernels a module lacks', async () => {
    const backend = await backendWith(2);
    const kernels = NativeKernels.for(backend);
    expect(() => kernels.run(filterGradWasm, 'filter_grad', [0.5])).toThrow(/not an int32/);
    expect(() => kernels.run(filterGradWasm, 'no_such_kernel', [])).toThrow(/no kernel no_such_kernel/);
  });

  it('reports a trap on a worker thread as an error, and keeps working afterwards', async () => {
    const backend = await backendWith(2);
    const kernels = NativeKernels.for(backend);
    // A dW write past the end of memory (4 GiB - 64) traps on the thread that owns those rows.
    const args = [0, 0, -64, 1, 4, 4, 4, 4, 4, 8, 3, 3, 1, 1, 1, 1, 16, 0];
    expect(() => kernels.run(filterGradWasm, 'filter_grad', args)).toThrow();
    expect((await filterGrad(2, 16)).length).toBe(3 * 3 * 8 * 20);
  });

  it('stops its worker threads with the backend', async () => {
    const backend = await backendWith(3);
    const kernels = NativeKernels.for(backend);
    const stop = (kernels as unknown as { workers: unknown[] }).workers;
    expect(stop.length).toBe(2);
    tf.removeBackend('wasm');
    expect(stop.length).toBe(0);
  });
});

describe('the native kernels thread pool', () => {
  it('runs each call once on every worker, also when a notify arrives late or for nothing', async () => {
    const reference = await filterGrad(1, 16);
    const backend = await backendWith(2);
    const kernels = NativeKernels.for(backend);
    const c = kernels.controlBlockForTests;
    for (let round = 0; round < 5; round++) {
      expect(filterGradOn(backend, 2, 16), `round ${round}`).toEqual(reference);
      // What a caller descheduled between adding to the generation and notifying does: the
      // worker has already run this generation and waits for the next one when the notify comes.
      // It must go back to waiting, not run the call again and count itself done twice.
      Atomics.notify(c, CONTROL_GENERATION);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(Atomics.load(c, CONTROL_PENDING), `round ${round}`).toBe(0);
    }
  });
});
