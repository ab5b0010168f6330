import type { ConcreteBackendName } from '../../../shared/config';
import { isUserError, UserError } from '../../../shared/errors';
import { INIT_BACKEND } from './concreteBackends';
import { checkTrainingStep } from './trainingStepCheck';
import type { BackendInfo } from './types';
import { releaseWebGpuBackend } from './webgpu/webgpuBackend';

/** What to do when a backend starts but cannot train. */
const REMEDY: Readonly<Record<ConcreteBackendName, string>> = {
  'tensorflow-gpu': 'Check the CUDA 11.2 / cuDNN 8.1 installation, or use backend webgpu or wasm.',
  webgpu:
    'Update the GPU driver; on Linux install the Vulkan loader (libvulkan1) so Dawn uses Vulkan rather than ' +
    "OpenGL (Dawn's OpenGL route miscompiles tfjs's shaders on NVIDIA's driver); or use backend wasm.",
  tensorflow: 'Reinstall @tensorflow/tfjs-node, or use backend wasm.',
  wasm: 'Reinstall NormLab; backend cpu works meanwhile but is far too slow to train.',
  cpu: 'This is a NormLab bug; please report it.',
};

/**
 * Starts backend `name` (INIT_BACKEND) and proves it can train (checkTrainingStep): a backend can
 * initialize and still compute garbage, e.g. tfjs-backend-webgpu through Dawn's OpenGL route on
 * NVIDIA's driver returns zeros because its shaders fail to compile. Throws
 * UserError('backend-unavailable') with the reason and what to do.
 */
export async function initTrainableBackend(name: ConcreteBackendName): Promise<BackendInfo> {
  const info = await INIT_BACKEND[name]();
  try {
    await checkTrainingStep();
  } catch (e) {
    if (name === 'webgpu') releaseWebGpuBackend();
    if (isUserError(e)) throw e;
    throw new UserError(
      'backend-unavailable',
      `${name}: started on ${info.device} but cannot train (${e instanceof Error ? e.message : String(e)}). ` +
        REMEDY[name],
    );
  }
  return info;
}
