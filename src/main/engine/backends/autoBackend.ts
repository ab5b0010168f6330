import { AUTO_ORDER } from '../../../shared/backends';
import type { ConcreteBackendName } from '../../../shared/config';
import { initCpuBackend } from './cpuBackend';
import { initTrainableBackend } from './trainableBackend';
import type { BackendInfo } from './types';
import { initWebGpuBackend, releaseWebGpuBackend } from './webgpu/webgpuBackend';

export { AUTO_ORDER };

export const CPU_FALLBACK_WARNING =
  'auto: no accelerated backend works here, so NormLab falls back to the cpu backend, which is far too ' +
  'slow to train (hours per epoch); run `normlab backends` to see why each one failed.';

/**
 * `auto`: the first backend of AUTO_ORDER that initializes AND runs a training step
 * (initTrainableBackend). One exception: a webgpu adapter that is a software device (Mesa llvmpipe,
 * lavapipe, SwiftShader) runs WGSL shaders on the CPU far slower than wasm's XNNPACK kernels, so it
 * is deferred behind tensorflow and wasm and used only if both fail. The cpu backend is the last
 * resort, with a printed warning (CPU_FALLBACK_WARNING). details.autoSkipped lists what was passed
 * over and why, so a run records not only what it used but what it could not use.
 */
export async function initAutoBackend(): Promise<BackendInfo> {
  const skipped: string[] = [];
  let softwareWebGpu: BackendInfo | null = null;
  for (const name of AUTO_ORDER) {
    const outcome = await tryTraining(name);
    if (typeof outcome === 'string') {
      skipped.push(outcome.startsWith(`${name}:`) ? outcome : `${name}: ${outcome}`);
    } else if (name === 'webgpu' && outcome.software) {
      softwareWebGpu = outcome;
      skipped.push(`webgpu: ${outcome.device} is a software device, slower than wasm; deferred`);
    } else {
      if (name !== 'webgpu') releaseWebGpuBackend();
      return chosen(outcome, skipped);
    }
  }
  if (softwareWebGpu) return chosen(await initWebGpuBackend(), skipped);
  console.warn(CPU_FALLBACK_WARNING);
  const cpu = await initCpuBackend();
  return chosen({ ...cpu, details: { ...cpu.details, warning: CPU_FALLBACK_WARNING } }, skipped);
}

/** The BackendInfo of `name` if it starts and can train, else why not. */
async function tryTraining(name: ConcreteBackendName): Promise<BackendInfo | string> {
  try {
    return await initTrainableBackend(name);
  } catch (e) {
    if (name === 'webgpu') releaseWebGpuBackend();
    return e instanceof Error ? e.message : String(e);
  }
}

function chosen(info: BackendInfo, skipped: string[]): BackendInfo {
  return { ...info, details: { ...info.details, selectedBy: 'auto', autoSkipped: skipped.join(' | ') } };
}
