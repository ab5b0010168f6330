import { describe, expect, it } from 'vitest';
import { AUTO_ORDER, autoChoice } from '../../src/shared/backends';
import { AUTO_ORDER as ENGINE_AUTO_ORDER } from '../../src/main/engine/backends';

const report = (name: string, available: boolean, software = false) => ({ name, available, software });

describe('autoChoice: what auto trains on, from the backends’ reports', () => {
  it('takes the first available hardware backend in the engine’s auto order', () => {
    expect(ENGINE_AUTO_ORDER).toBe(AUTO_ORDER);
    expect(autoChoice([report('wasm', true), report('webgpu', true), report('cpu', true)])).toBe('webgpu');
    expect(autoChoice([report('webgpu', false), report('tensorflow', true), report('wasm', true)])).toBe(
      'tensorflow',
    );
  });

  it('passes over a software GPU for wasm, and takes it only when nothing else works', () => {
    expect(autoChoice([report('webgpu', true, true), report('wasm', true)])).toBe('wasm');
    expect(autoChoice([report('webgpu', true, true), report('wasm', false)])).toBe('webgpu');
  });

  it('is null when auto would fall back to the cpu backend', () => {
    expect(autoChoice([report('webgpu', false), report('wasm', false), report('cpu', true)])).toBeNull();
  });
});
