/**
 * tfjs-backend-wasm's multi-threaded SIMD build, started under Node.
 *
 * tfjs 4.22 never uses that build in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag answers false there,
 * tfjs issue #3830), although the Emscripten build itself supports Node's worker_threads. The obstacles
 * are all in tfjs's loader, so NormLab loads the build itself:
 * - tfjs hands the pthread workers Blob URLs, which Node's Worker cannot start; the worker script
 *   (shipped as a string, `wasmWorkerContents`) is written to a file instead, and the main script is
 *   named by its path (`mainScriptUrlOrBlob`), which the workers evaluate with importScripts.
 * - tfjs caps the XNNPACK thread pool at emscripten_num_logical_cores() / 2 (it assumes two hardware
 *   threads per core; on a VM's 2 vCPUs that cap is 1). The build reads that count from os.cpus()
 *   once, while the module starts; os.cpus() is widened for that moment so the cap is the count asked
 *   for, and restored right after.
 * The module is then wrapped exactly as tfjs's own init() wraps it and handed to BackendWasm.
 * XNNPACK splits a convolution or GEMM by output tiles, never along the reduction, so results do not
 * depend on the thread count (test/main/engine/backends/wasm/threadedWasm.test.ts checks this).
 */
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { MAX_WASM_THREADS } from './wasmThreads';

/** The slice of the Emscripten module that the loader touches. */
interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => unknown;
  tfjs?: unknown;
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

interface BuildFiles {
  mainScript: string;
  binary: string;
  workerScript: string;
}

/** Creates the multi-threaded wasm backend with `threads` XNNPACK threads (the calling thread included). */
export async function createThreadedWasmBackend(threads: number): Promise<BackendWasm> {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS) {
    throw new Error(`the threaded wasm build takes 2 to ${MAX_WASM_THREADS} threads, not ${threads}`);
  }
  const requireHere = createRequire(import.meta.url);
  const files = buildFiles(requireHere);
  const factory = requireHere(files.mainScript) as ModuleFactory;
  const realCpus = os.cpus;
  const cpus = realCpus();
  // 2 * threads logical cores => tfjs's cap (logical / 2) is exactly `threads`.
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length] as os.CpuInfo);
  let module: EmscriptenModule;
  try {
    module = await factory({
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.worker.js')
          ? files.workerScript
          : path.endsWith('.wasm')
            ? files.binary
            : prefix + path,
      mainScriptUrlOrBlob: files.mainScript,
    });
  } finally {
    os.cpus = realCpus;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  // BackendWasm's constructor takes tfjs's own module type, which this loader reproduces.
  return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
}

function buildFiles(requireHere: NodeRequire): BuildFiles {
  // The package's main entry is dist/tf-backend-wasm.node.js; the Emscripten output is in wasm-out/.
  const dist = dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'));
  const wasmOut = join(dirname(dist), 'wasm-out');
  const mainScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const binary = join(dist, 'tfjs-backend-wasm-threaded-simd.wasm');
  for (const f of [mainScript, binary]) {
    if (!existsSync(f)) throw new Error(`${f} is missing; reinstall @tensorflow/tfjs-backend-wasm`);
  }
  const { wasmWorkerContents } = requireHere(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  return { mainScript, binary, workerScript: writeWorkerScript(wasmWorkerContents) };
}

/**
 * Writes the pthread worker script to the temp folder, named by its content hash so that processes
 * and versions never clash; written to a private name and renamed, so no reader sees half a file.
 * The string escapes its own newlines as a template literal would lose them (tfjs does the same before
 * making its Blob).
 */
function writeWorkerScript(contents: string): string {
  const script = contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = join(os.tmpdir(), `normlab-tfjs-wasm-worker-${hash}.cjs`);
  if (existsSync(file) && readFileSync(file, 'utf8') === script) return file;
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, script);
  renameSync(tmp, file);
  return file;
}
