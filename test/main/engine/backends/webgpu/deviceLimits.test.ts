import { describe, expect, it } from 'vitest';
import {
  limitShortfalls,
  TFJS_MINIMUM_LIMITS,
} from '../../../../../src/main/engine/backends/webgpu/deviceLimits';

describe('limitShortfalls', () => {
  it('accepts an adapter offering the WebGPU core defaults', () => {
    expect(limitShortfalls({ ...TFJS_MINIMUM_LIMITS })).toEqual([]);
  });

  it("names each limit below tfjs's needs, e.g. compatibility-mode defaults", () => {
    const compatDefaults = {
      ...TFJS_MINIMUM_LIMITS,
      maxStorageBuffersPerShaderStage: 4,
      maxComputeInvocationsPerWorkgroup: 128,
    };
    expect(limitShortfalls(compatDefaults)).toEqual([
      'maxStorageBuffersPerShaderStage 4 < 8',
      'maxComputeInvocationsPerWorkgroup 128 < 256',
    ]);
    const { maxComputeWorkgroupSizeX: _dropped, ...missing } = TFJS_MINIMUM_LIMITS;
    expect(limitShortfalls(missing)).toEqual(['maxComputeWorkgroupSizeX missing < 256']);
  });
});
