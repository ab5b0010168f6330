import type { BackendName } from '../../../shared/config';
import { initAutoBackend } from './autoBackend';
import { initTrainableBackend } from './trainableBackend';
import type { BackendInfo } from './types';
import { releaseWebGpuBackend } from './webgpu/webgpuBackend';

/**
 * Makes `name` tfjs's current backend and says what it runs on; `auto` chooses (see initAutoBackend).
 * Either way the backend has proved it can run a training step (initTrainableBackend). Throws
 * UserError('backend-unavailable') with the reason and what to do when a named backend cannot.
 */
export async function initBackend(name: BackendName): Promise<BackendInfo> {
  return name === 'auto' ? initAutoBackend() : initTrainableBackend(name);
}

/**
 * Frees native GPU resources (the Dawn device behind webgpu) so the process or worker can exit;
 * tensors on that backend are lost. Call when a run's worker is done.
 */
export function releaseBackends(): void {
  releaseWebGpuBackend();
}
