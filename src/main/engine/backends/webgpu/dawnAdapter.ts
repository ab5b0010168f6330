import { isMainThread } from 'node:worker_threads';
import type * as Dawn from 'webgpu';
import { isUserError, UserError } from '../../../../shared/errors';
import { prepareWebGpuEnvironment } from '../../../../shared/webgpuEnvironment';

/** How the adapter was found: Dawn's native API for the platform, or OpenGL in compatibility mode. */
export type DawnRoute = 'native' | 'opengl-compat';

export interface DawnAdapter {
  /** The `navigator.gpu` object Dawn created; the process stays tied to it until it is dropped. */
  gpu: GPU;
  adapter: GPUAdapter;
  route: DawnRoute;
  /** Milliseconds from loading Dawn to holding the adapter. */
  adapterMs: number;
}

/** Dawn dlopens the unversioned libEGL.so, which Debian/Ubuntu ship only in libegl-dev. */
const MESA_HINT =
  'For a software device install Mesa and the EGL loader: ' +
  'apt-get install libegl1 libegl-dev libegl-mesa0 libgles2 libgl1-mesa-dri.';

/**
 * Finds a WebGPU adapter with Dawn (the `webgpu` package, dawn.node). First Dawn's native API
 * (Vulkan on Linux, Metal on macOS, D3D12 on Windows), high-performance preference. If that finds
 * nothing (no GPU, or no Vulkan loader/driver), OpenGL through EGL in WebGPU compatibility mode,
 * which on a machine without a GPU is Mesa's llvmpipe: a software device. EGL_PLATFORM=surfaceless is
 * set when unset, because without a display EGL otherwise fails to initialize.
 */
export async function requestDawnAdapter(): Promise<DawnAdapter> {
  const dawn = await loadDawn();
  try {
    return await findAdapter(dawn);
  } catch (e) {
    if (isUserError(e)) throw e;
    throw new UserError(
      'backend-unavailable',
      `webgpu: Dawn failed while looking for an adapter (${e instanceof Error ? e.message : String(e)}); ` +
        'update the GPU driver, or use backend wasm.',
    );
  }
}

async function findAdapter({ create, globals }: typeof Dawn): Promise<DawnAdapter> {
  const started = performance.now();
  installGlobals(globals);

  const native = create([]);
  const hardware = await native.requestAdapter({ powerPreference: 'high-performance' });
  if (hardware) {
    return { gpu: native, adapter: hardware, route: 'native', adapterMs: performance.now() - started };
  }

  // A worker thread's process.env is its own copy: setting it there does not reach Mesa.
  const eglUnsetInWorker = !isMainThread && process.env.EGL_PLATFORM === undefined;
  prepareWebGpuEnvironment(process.env);
  const opengl = create(['backend=opengl']);
  const compat = await opengl.requestAdapter({
    featureLevel: 'compatibility',
    powerPreference: 'high-performance',
  });
  if (compat) {
    return { gpu: opengl, adapter: compat, route: 'opengl-compat', adapterMs: performance.now() - started };
  }
  throw new UserError(
    'backend-unavailable',
    'webgpu: Dawn found no GPU adapter, neither through Vulkan/Metal/D3D12 nor through OpenGL (EGL). ' +
      'Install current GPU drivers with Vulkan support (on Linux: libvulkan1 and the vendor ICD), ' +
      `or use backend wasm. ${MESA_HINT}` +
      (eglUnsetInWorker
        ? ' This ran in a worker thread without EGL_PLATFORM: call prepareWebGpuEnvironment() in the main ' +
          'thread before starting workers, or set EGL_PLATFORM=surfaceless in the environment.'
        : ''),
  );
}

async function loadDawn(): Promise<typeof Dawn> {
  try {
    return await import('webgpu');
  } catch (e) {
    throw new UserError(
      'backend-unavailable',
      `webgpu: the Dawn native module (npm package "webgpu") failed to load: ${e instanceof Error ? e.message : String(e)}. ` +
        'Reinstall NormLab for this platform (linux/macOS/windows, x64/arm64), or use backend wasm.',
    );
  }
}

/** WebGPU's global constants and classes (GPUBufferUsage, GPUMapMode, ...), which tfjs uses as globals. */
function installGlobals(globals: object): void {
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis))
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
}
