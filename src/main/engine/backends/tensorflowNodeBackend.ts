import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../../../shared/errors';
import { hostCpuDescription } from './hostCpu';
import { packageVersion } from './packageVersion';
import type { BackendInfo } from './types';

type Flavor = 'tensorflow' | 'tensorflow-gpu';

const PACKAGE: Record<Flavor, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
};

const TFJS_VERSION = tf.version_core;

const INSTALL: Record<Flavor, string> = {
  tensorflow:
    `It needs the optional package ${PACKAGE.tensorflow}@${TFJS_VERSION} ` +
    `(npm install ${PACKAGE.tensorflow}@${TFJS_VERSION} in the NormLab folder; it downloads libtensorflow). ` +
    'Use backend wasm (no downloads) or auto instead.',
  'tensorflow-gpu':
    `It needs Linux, an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 installed, and the optional package ` +
    `${PACKAGE['tensorflow-gpu']}@${TFJS_VERSION} (npm install ${PACKAGE['tensorflow-gpu']}@${TFJS_VERSION} ` +
    'in the NormLab folder). Use backend webgpu (any GPU with Vulkan/Metal/D3D12) or auto instead.',
};

/** Which of the two packages this process loaded: both register their backend as 'tensorflow'. */
let loaded: Flavor | null = null;

/** The fields of tfjs-node's NodeJSKernelBackend that say where libtensorflow runs. */
interface NodeKernelBackend {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

/**
 * libtensorflow through tfjs-node (CPU) or tfjs-node-gpu (CUDA). Both are optional dependencies,
 * loaded here by a dynamic import so that NormLab runs without them; both register the tfjs
 * backend name 'tensorflow', so one process can hold only one of them. tensorflow-gpu is accepted
 * only when libtensorflow actually placed its ops on a GPU (it silently falls back to the CPU when
 * CUDA/cuDNN are missing).
 */
export async function initTensorflowBackend(flavor: Flavor): Promise<BackendInfo> {
  const pkg = PACKAGE[flavor];
  if (loaded !== null && loaded !== flavor) {
    throw new UserError(
      'backend-unavailable',
      `${flavor}: this process already loaded ${PACKAGE[loaded]}, and both packages register the same tfjs ` +
        `backend 'tensorflow'. Start NormLab again to use ${flavor}.`,
    );
  }
  if (loaded === null) {
    if (packageVersion(pkg) === 'not installed') {
      throw new UserError('backend-unavailable', `${flavor}: ${pkg} is not installed. ${INSTALL[flavor]}`);
    }
    try {
      await import(/* @vite-ignore */ pkg);
    } catch (e) {
      throw new UserError(
        'backend-unavailable',
        `${flavor}: ${pkg} is installed but failed to load (${e instanceof Error ? e.message : String(e)}). ` +
          INSTALL[flavor],
      );
    }
    loaded = flavor;
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new UserError(
      'backend-unavailable',
      `${flavor}: libtensorflow failed to initialize. ${INSTALL[flavor]}`,
    );
  }
  const kernel = tf.backend() as unknown as NodeKernelBackend;
  const onGpu = kernel.isUsingGpuDevice === true;
  if (flavor === 'tensorflow-gpu' && !onGpu) {
    throw new UserError(
      'backend-unavailable',
      'tensorflow-gpu: libtensorflow loaded but found no usable CUDA GPU (it fell back to the CPU). ' +
        INSTALL['tensorflow-gpu'],
    );
  }
  return {
    name: flavor,
    device: onGpu ? 'NVIDIA CUDA GPU (libtensorflow does not report its name)' : hostCpuDescription(),
    software: false,
    details: { package: pkg, isGPUPackage: kernel.isGPUPackage === true, isUsingGpuDevice: onGpu },
  };
}

/** Versions of the package behind `flavor`, for `normlab backends`. */
export function tensorflowVersions(flavor: Flavor): Record<string, string> {
  return { [PACKAGE[flavor]]: packageVersion(PACKAGE[flavor]) };
}
