/** The identifying strings of a GPUAdapterInfo, copied out of the native object. */
export interface AdapterIdentity {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

/**
 * Renderers that run the "GPU" on the CPU: Mesa's llvmpipe / softpipe (OpenGL) and lavapipe (Vulkan),
 * Google's SwiftShader, Windows' WARP ("Microsoft Basic Render Driver").
 */
const SOFTWARE_RENDERER = /llvmpipe|softpipe|lavapipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** True when the adapter is a software device: flagged as fallback, or named after a software renderer. */
export function isSoftwareAdapter(a: AdapterIdentity): boolean {
  if (a.isFallbackAdapter) return true;
  return [a.vendor, a.architecture, a.device, a.description].some((s) => SOFTWARE_RENDERER.test(s));
}

/** A one-line device name: the non-empty, distinct identity strings joined, e.g. "nvidia / hopper / ...". */
export function adapterDeviceName(a: AdapterIdentity): string {
  const parts = [a.vendor, a.architecture, a.device, a.description].map((s) => s.trim()).filter((s) => s);
  return [...new Set(parts)].join(' / ') || 'unnamed WebGPU adapter';
}

/** Reads the identity out of a GPUAdapterInfo (Dawn exposes its fields as prototype getters). */
export function adapterIdentity(info: GPUAdapterInfo): AdapterIdentity {
  const fallback = (info as { isFallbackAdapter?: unknown }).isFallbackAdapter;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: fallback === true,
  };
}
