import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/main/engine/backends';
import { packageVersion } from '../../../../src/main/engine/backends/packageVersion';
import { UserError } from '../../../../src/shared/errors';

async function failure(name: 'tensorflow' | 'tensorflow-gpu'): Promise<UserError> {
  const error: unknown = await initBackend(name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('tfjs-node backends where the optional packages are absent', () => {
  it('this machine has neither optional package (the premise of these tests)', () => {
    expect(packageVersion('@tensorflow/tfjs-node')).toBe('not installed');
    expect(packageVersion('@tensorflow/tfjs-node-gpu')).toBe('not installed');
  });

  it('tensorflow says which package to install and what to use instead', async () => {
    const e = await failure('tensorflow');
    expect(e.code).toBe('backend-unavailable');
    expect(e.message).toContain('npm install @tensorflow/tfjs-node@4.22.0');
    expect(e.message).toMatch(/wasm/);
  });

  it('tensorflow-gpu names CUDA 11.2, cuDNN 8.1, the optional package, and webgpu as the alternative', async () => {
    const e = await failure('tensorflow-gpu');
    expect(e.code).toBe('backend-unavailable');
    expect(e.message).toContain('CUDA 11.2');
    expect(e.message).toContain('cuDNN 8.1');
    expect(e.message).toContain('npm install @tensorflow/tfjs-node-gpu@4.22.0');
    expect(e.message).toMatch(/webgpu/);
  });
});
