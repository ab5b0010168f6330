import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CPU_FALLBACK_WARNING, initBackend, releaseBackends } from '../../../../src/main/engine/backends';
import type * as WasmBackendModule from '../../../../src/main/engine/backends/wasmBackend';
import type * as WebGpuBackendModule from '../../../../src/main/engine/backends/webgpu/webgpuBackend';
import { UserError } from '../../../../src/shared/errors';

/** Switches that make a backend's initialization fail, to walk auto's fallbacks on this one machine. */
const broken = vi.hoisted(() => ({ wasm: false, webgpu: false }));

vi.mock('../../../../src/main/engine/backends/wasmBackend', async (importOriginal) => {
  const real = await importOriginal<typeof WasmBackendModule>();
  return {
    initWasmBackend: () =>
      broken.wasm
        ? Promise.reject(new UserError('backend-unavailable', 'wasm: broken by the test'))
        : real.initWasmBackend(),
  };
});

vi.mock('../../../../src/main/engine/backends/webgpu/webgpuBackend', async (importOriginal) => {
  const real = await importOriginal<typeof WebGpuBackendModule>();
  return {
    ...real,
    initWebGpuBackend: () =>
      broken.webgpu
        ? Promise.reject(new UserError('backend-unavailable', 'webgpu: broken by the test'))
        : real.initWebGpuBackend(),
  };
});

beforeEach(() => {
  broken.wasm = false;
  broken.webgpu = false;
});

afterAll(() => {
  releaseBackends();
});

const gpuHeld = (): boolean => (globalThis.navigator as { gpu?: unknown } | undefined)?.gpu !== undefined;

describe("initBackend('auto') on a machine without a GPU or tfjs-node", () => {
  it('prefers wasm over a software webgpu device, and records what it passed over', async () => {
    const info = await initBackend('auto');
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.details.selectedBy).toBe('auto');
    const skipped = String(info.details.autoSkipped);
    expect(skipped).toContain('tensorflow-gpu: ');
    expect(skipped).toContain('tensorflow: ');
    expect(skipped).toMatch(/webgpu: .*software device, slower than wasm; deferred/);
    // The deferred webgpu device is released, so nothing keeps the process alive.
    expect(gpuHeld()).toBe(false);
    expect(tf.findBackend('webgpu')).toBeNull();
  });

  it('falls back to the software webgpu device when wasm cannot start', async () => {
    broken.wasm = true;
    const info = await initBackend('auto');
    expect(info.name).toBe('webgpu');
    expect(info.software).toBe(true);
    expect(tf.getBackend()).toBe('webgpu');
    expect(String(info.details.autoSkipped)).toContain('wasm: broken by the test');
    releaseBackends();
  });

  it('uses cpu only as the last resort, and warns that it is far too slow', async () => {
    broken.wasm = true;
    broken.webgpu = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = await initBackend('auto');
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(warn).toHaveBeenCalledWith(CPU_FALLBACK_WARNING);
    expect(info.details.warning).toBe(CPU_FALLBACK_WARNING);
    expect(CPU_FALLBACK_WARNING).toMatch(/far too slow/);
    warn.mockRestore();
  });
});
