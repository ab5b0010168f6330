/**
 * Mesa's EGL needs EGL_PLATFORM=surfaceless to initialize without a display (a server, a CI runner,
 * an SSH session); Dawn's OpenGL route (the webgpu backend's software fallback) goes through EGL.
 * Here, not in the engine, because the runs layer must set it in the main thread before it starts
 * engine workers: a worker's process.env is a JavaScript copy, and Mesa reads the process's real
 * environment, which only the main thread's process.env writes through to.
 */

/** Sets EGL_PLATFORM=surfaceless in `env` (pass `process.env`) when it is unset. */
export function prepareWebGpuEnvironment(env: { EGL_PLATFORM?: string | undefined }): void {
  env.EGL_PLATFORM ??= 'surfaceless';
}
