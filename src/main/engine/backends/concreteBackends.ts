import type { ConcreteBackendName } from '../../../shared/config';
import { initCpuBackend } from './cpuBackend';
import { initTensorflowBackend } from './tensorflowNodeBackend';
import type { BackendInfo } from './types';
import { initWasmBackend } from './wasmBackend';
import { initWebGpuBackend } from './webgpu/webgpuBackend';

/** Initializes one named backend and makes it tfjs's current one; throws UserError('backend-unavailable'). */
export const INIT_BACKEND: Readonly<Record<ConcreteBackendName, () => Promise<BackendInfo>>> = {
  'tensorflow-gpu': () => initTensorflowBackend('tensorflow-gpu'),
  webgpu: initWebGpuBackend,
  tensorflow: () => initTensorflowBackend('tensorflow'),
  wasm: initWasmBackend,
  cpu: initCpuBackend,
};
