/**
 * tfjs-backend-webgpu sizes its kernels from the device limits: matMul/conv tiles live in workgroup
 * memory, reductions use workgroups up to 512 wide, batchNorm binds 5 inputs + 1 output as storage
 * buffers, and Concat splits its inputs into groups of maxStorageBuffersPerShaderStage − 1. A device
 * gets only the WebGPU defaults unless it asks for more, and the defaults of compatibility mode (the
 * OpenGL ES / software route) are below what tfjs assumes (4 storage buffers, 128 invocations), so
 * the device is requested with every limit the adapter offers.
 */
export function adapterLimits(adapter: GPUAdapter): Record<string, number> {
  const limits: Record<string, number> = {};
  // Dawn exposes the limits as prototype getters, so walk the prototype rather than own keys.
  for (const key in adapter.limits) {
    const value: unknown = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') limits[key] = value;
  }
  return limits;
}

/** The WebGPU core defaults, which tfjs-backend-webgpu's kernels are written for. */
export const TFJS_MINIMUM_LIMITS: Readonly<Record<string, number>> = {
  maxStorageBuffersPerShaderStage: 8,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxStorageBufferBindingSize: 134217728,
};

/** The limits an adapter offers below TFJS_MINIMUM_LIMITS, as "name offered < needed" lines. */
export function limitShortfalls(limits: Record<string, number>): string[] {
  return Object.entries(TFJS_MINIMUM_LIMITS)
    .filter(([key, needed]) => (limits[key] ?? 0) < needed)
    .map(([key, needed]) => `${key} ${limits[key] ?? 'missing'} < ${needed}`);
}
