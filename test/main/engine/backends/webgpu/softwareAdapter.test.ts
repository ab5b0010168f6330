import { describe, expect, it } from 'vitest';
import {
  adapterDeviceName,
  isSoftwareAdapter,
  type AdapterIdentity,
} from '../../../../../src/main/engine/backends/webgpu/softwareAdapter';

const identity = (over: Partial<AdapterIdentity>): AdapterIdentity => ({
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
  ...over,
});

describe('isSoftwareAdapter', () => {
  it('recognizes Mesa llvmpipe as Dawn reports it over OpenGL', () => {
    const a = identity({
      device: 'llvmpipe-llvm-15-0-6-256-bits-',
      description: 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6',
    });
    expect(isSoftwareAdapter(a)).toBe(true);
  });

  it('recognizes lavapipe, SwiftShader and the fallback flag', () => {
    expect(isSoftwareAdapter(identity({ vendor: 'mesa', device: 'lavapipe' }))).toBe(true);
    expect(isSoftwareAdapter(identity({ vendor: 'google', architecture: 'swiftshader' }))).toBe(true);
    expect(isSoftwareAdapter(identity({ vendor: 'nvidia', isFallbackAdapter: true }))).toBe(true);
  });

  it('treats hardware adapters as hardware', () => {
    expect(
      isSoftwareAdapter(identity({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' })),
    ).toBe(false);
    expect(
      isSoftwareAdapter(identity({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M1 Max' })),
    ).toBe(false);
    expect(isSoftwareAdapter(identity({ vendor: 'intel', architecture: 'gen-12lp' }))).toBe(false);
  });
});

describe('adapterDeviceName', () => {
  it('joins the distinct non-empty identity strings', () => {
    expect(adapterDeviceName(identity({ vendor: 'nvidia', architecture: 'hopper', device: 'nvidia' }))).toBe(
      'nvidia / hopper',
    );
    expect(adapterDeviceName(identity({}))).toBe('unnamed WebGPU adapter');
  });
});
