/** What a backend says about itself; shared by the engine, the API and every host. */
import type { ConcreteBackendName } from './config';

/** Details values are flat so a run can store them as JSON and the UI can list them as is. */
export type BackendDetails = Record<string, string | number | boolean>;

/** What a run records about the backend it actually trained on. */
export interface BackendInfo {
  name: ConcreteBackendName;
  /** The device that does the arithmetic: the GPU adapter's vendor/architecture/description, or the CPU model. */
  device: string;
  /** True when the "GPU" is emulated on the CPU (Mesa llvmpipe, lavapipe, SwiftShader, a fallback adapter). */
  software: boolean;
  details: BackendDetails;
}

/** One line of `normlab backends`. */
export interface BackendReport {
  name: ConcreteBackendName;
  available: boolean;
  /** Present when available. */
  device?: string;
  software?: boolean;
  /** Why the backend cannot be used here and what to do about it; present when unavailable. */
  reason?: string;
  /** Package name -> version, for the packages this backend loads. */
  versions: Record<string, string>;
  details: BackendDetails;
  /** Wall time of initialization plus the training-step check, in milliseconds. */
  probeMs: number;
}

/** ARCHITECTURE.md's order for `auto`: fastest first (engine/backends/autoBackend.ts tries them so). */
export const AUTO_ORDER: readonly ConcreteBackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm'];

/**
 * What `auto` trains on here, read from the backends' reports: the first of AUTO_ORDER that is
 * available on a hardware device (a software GPU is slower than wasm, so auto passes over it), else
 * a software GPU, else null (auto would fall back to the cpu backend).
 */
export function autoChoice(
  reports: readonly { name: string; available: boolean; software?: boolean | undefined }[],
): ConcreteBackendName | null {
  const usable = (name: ConcreteBackendName, software: boolean): boolean =>
    reports.some((r) => r.name === name && r.available && (r.software ?? false) === software);
  return AUTO_ORDER.find((n) => usable(n, false)) ?? AUTO_ORDER.find((n) => usable(n, true)) ?? null;
}
