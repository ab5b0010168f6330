import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../../../../shared/errors';
import type { BackendInfo } from '../types';
import { requestDawnAdapter } from './dawnAdapter';
import { adapterLimits, limitShortfalls } from './deviceLimits';
import { adapterDeviceName, adapterIdentity, isSoftwareAdapter } from './softwareAdapter';

interface Session {
  gpu: GPU;
  device: GPUDevice;
  info: BackendInfo;
}

/** The live Dawn device behind the registered 'webgpu' backend, if any (one per process). */
let session: Session | null = null;

/**
 * Makes tfjs's 'webgpu' backend run on a device NormLab chose: finds a Dawn adapter
 * (see requestDawnAdapter), requests a device with all the adapter's limits (see deviceLimits.ts),
 * constructs tfjs's WebGPUBackend on it and registers it, then switches tfjs to it. Idempotent:
 * a second call reuses the device. Throws UserError('backend-unavailable') saying why.
 */
export async function initWebGpuBackend(): Promise<BackendInfo> {
  if (session && tf.findBackend('webgpu')) {
    await tf.setBackend('webgpu');
    return session.info;
  }
  releaseWebGpuBackend();
  const started = performance.now();
  const found = await requestDawnAdapter();
  const identity = adapterIdentity(found.adapter.info);
  const limits = adapterLimits(found.adapter);
  const shortfalls = limitShortfalls(limits);
  if (shortfalls.length > 0) {
    throw new UserError(
      'backend-unavailable',
      `webgpu: the adapter ${adapterDeviceName(identity)} offers less than tfjs needs (${shortfalls.join(', ')}). ` +
        'Update the GPU driver, or use backend wasm.',
    );
  }
  const device = await requestDevice(found.adapter, limits);
  try {
    await startTfjsBackend(found.gpu, device, found.adapter.info);
  } catch (e) {
    device.destroy();
    setNavigatorGpu(undefined);
    throw e;
  }
  const info: BackendInfo = {
    name: 'webgpu',
    device: adapterDeviceName(identity),
    software: isSoftwareAdapter(identity),
    details: {
      route: found.route,
      vendor: identity.vendor,
      architecture: identity.architecture,
      adapterDevice: identity.device,
      description: identity.description,
      isFallbackAdapter: identity.isFallbackAdapter,
      features: [...found.adapter.features].sort().join(','),
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize ?? 0,
      maxBufferSize: limits.maxBufferSize ?? 0,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize ?? 0,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage ?? 0,
      adapterMs: Math.round(found.adapterMs),
      initMs: Math.round(performance.now() - started),
    },
  };
  session = { gpu: found.gpu, device, info };
  return info;
}

/**
 * Disposes the 'webgpu' backend (its buffers), destroys the Dawn device and drops navigator.gpu, so
 * that nothing keeps the process alive at exit. Tensors still on the backend are lost; switch away
 * first (tf.setBackend) if anything must survive. Safe to call when no device is open.
 */
export function releaseWebGpuBackend(): void {
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  if (session) {
    session.device.destroy();
    session = null;
  }
  setNavigatorGpu(undefined);
}

async function requestDevice(adapter: GPUAdapter, limits: Record<string, number>): Promise<GPUDevice> {
  try {
    return await adapter.requestDevice({ requiredLimits: limits, requiredFeatures: [] });
  } catch (e) {
    throw new UserError(
      'backend-unavailable',
      `webgpu: the adapter refused a device (${e instanceof Error ? e.message : String(e)}). ` +
        'Update the GPU driver, or use backend wasm.',
    );
  }
}

/** Constructs tfjs's WebGPUBackend on `device`, registers it as 'webgpu' and makes it current. */
async function startTfjsBackend(gpu: GPU, device: GPUDevice, adapterInfo: GPUAdapterInfo): Promise<void> {
  // Imported before navigator.gpu exists, so the package registers its kernels but not its own
  // factory (which would request a default adapter, not this one).
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  // The WebGPUBackend constructor checks navigator.gpu; Node has a navigator without one. The
  // reference is removed again in releaseWebGpuBackend.
  setNavigatorGpu(gpu);
  const backend = new WebGPUBackend(device, adapterInfo);
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => backend);
  if (!(await tf.setBackend('webgpu'))) {
    tf.removeBackend('webgpu');
    throw new UserError(
      'backend-unavailable',
      'webgpu: tfjs failed to start its WebGPU backend; use backend wasm.',
    );
  }
}

function setNavigatorGpu(gpu: GPU | undefined): void {
  const g = globalThis as { navigator?: object };
  if (gpu === undefined) {
    if (g.navigator && 'gpu' in g.navigator) delete (g.navigator as { gpu?: GPU }).gpu;
    return;
  }
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}
