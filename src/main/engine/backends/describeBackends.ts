import * as tf from '@tensorflow/tfjs-core';
import type { ConcreteBackendName } from '../../../shared/config';
import { packageVersion } from './packageVersion';
import { initTrainableBackend } from './trainableBackend';
import type { BackendReport } from './types';
import { releaseWebGpuBackend } from './webgpu/webgpuBackend';

/** The five concrete backends, in `auto` order with cpu last. */
export const BACKEND_ORDER: readonly ConcreteBackendName[] = [
  'tensorflow-gpu',
  'webgpu',
  'tensorflow',
  'wasm',
  'cpu',
];

/** The npm packages behind each backend (Dawn is the npm package `webgpu`). */
const PACKAGES: Readonly<Record<ConcreteBackendName, readonly string[]>> = {
  'tensorflow-gpu': ['@tensorflow/tfjs-node-gpu'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu', 'webgpu'],
  tensorflow: ['@tensorflow/tfjs-node'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

/**
 * For `normlab backends`: probes every backend in turn (initTrainableBackend: start, then train a step)
 * and reports whether it works, on what device, and if not why and what to do. Each probe is guarded,
 * so one failing backend never stops the others; a native module that aborts the process cannot be
 * caught here. tensorflow-gpu and tensorflow share tfjs's backend name, so after one loaded the other
 * reports that a restart is needed. Restores the backend that was current before, and releases the
 * webgpu device unless webgpu was current.
 */
export async function describeBackends(): Promise<BackendReport[]> {
  const previous = tf.engine().backendName as string | null | undefined;
  const reports: BackendReport[] = [];
  for (const name of BACKEND_ORDER) reports.push(await probe(name));
  if (previous !== 'webgpu') releaseWebGpuBackend();
  if (previous && tf.findBackend(previous)) await tf.setBackend(previous);
  return reports;
}

async function probe(name: ConcreteBackendName): Promise<BackendReport> {
  const versions: Record<string, string> = { '@tensorflow/tfjs-core': tf.version_core };
  for (const pkg of PACKAGES[name]) versions[pkg] = packageVersion(pkg);
  const started = performance.now();
  try {
    const info = await initTrainableBackend(name);
    const probeMs = Math.round(performance.now() - started);
    return {
      name,
      available: true,
      device: info.device,
      software: info.software,
      versions,
      details: info.details,
      probeMs,
    };
  } catch (e) {
    const probeMs = Math.round(performance.now() - started);
    const reason = e instanceof Error ? e.message : String(e);
    return { name, available: false, reason, versions, details: {}, probeMs };
  }
}
