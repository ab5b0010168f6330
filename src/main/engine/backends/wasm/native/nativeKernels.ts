/**
 * Runs NormLab's own wasm kernels (native/*.c, built by bin/build-wasm-kernels.mjs) on
 * tfjs-backend-wasm's heap: each module imports the backend's WebAssembly.Memory, so a kernel reads
 * and writes tensors where tfjs keeps them, without a copy.
 *
 * With the backend's multi-threaded build (its memory is shared) the kernels run on as many threads
 * as XNNPACK does: the calling thread plus threads - 1 worker threads, each with its own instance of
 * every module on the same memory. A call posts its arguments to a shared control block, wakes the
 * workers (Atomics.notify), runs share 0 itself and waits until every worker has run its share.
 * Every kernel splits its work by output (normlab.h), so the result does not depend on the thread
 * count.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/** A generated NAMEWasm.ts: the module for each build of the backend, base64-encoded. */
export interface NativeModuleSource {
  readonly name: string;
  readonly single: string;
  readonly threaded: string;
}

type KernelFn = (...args: number[]) => void;

/** Control block (Int32Array) slots (the generation and pending count exported for tests). */
const GENERATION = 0;
const OP = 1;
const PENDING = 2;
export const CONTROL_GENERATION = GENERATION;
export const CONTROL_PENDING = PENDING;
const FAILED = 3;
const ARGC = 4;
/** Worker threads that have reached their loop. */
const READY = 5;
const ARGS = 8;
const MAX_ARGS = 56;
const CONTROL_INTS = ARGS + MAX_ARGS;
/**
 * How long the first call waits for the worker threads to start. A worker starts in well under a
 * second; one that has not after this long never will (the error says what to do instead).
 */
const START_TIMEOUT_MS = 60_000;
/** OP values other than a kernel index. */
const OP_LOAD = -2;
const OP_EXIT = -1;

/**
 * The worker threads' loop, run as CommonJS (eval): wait for the generation to change, then either
 * instantiate the modules posted to its port (OP_LOAD) or run kernel OP with the arguments, and count
 * itself done. A kernel that traps marks FAILED; the caller throws.
 */
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, port, memory, index, threads } = workerData;
const c = new Int32Array(control);
const kernels = [];
let seen = 0;
Atomics.add(c, ${READY}, 1);
Atomics.notify(c, ${READY});
for (;;) {
  // Wait until the generation changes: a wake alone does not mean new work. The caller adds to the
  // generation, then notifies; when it is descheduled in between, this thread can see the new
  // generation without waiting, run it, come back here and only then receive that notify. Running
  // again on it would count this thread done twice (PENDING -1: the next call waits forever).
  let generation;
  while ((generation = Atomics.load(c, ${GENERATION})) === seen) Atomics.wait(c, ${GENERATION}, seen);
  seen = generation;
  const op = c[${OP}];
  if (op === ${OP_EXIT}) break;
  try {
    if (op === ${OP_LOAD}) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const instance = new WebAssembly.Instance(m.message.module, { env: { memory } });
        for (const name of m.message.names) kernels.push(instance.exports[name]);
      }
    } else {
      const args = Array.from(c.subarray(${ARGS}, ${ARGS} + c[${ARGC}]));
      kernels[op](index, threads, ...args);
    }
  } catch (e) {
    Atomics.store(c, ${FAILED}, 1);
  }
  if (Atomics.sub(c, ${PENDING}, 1) === 1) Atomics.notify(c, ${PENDING});
}
`;

interface LoadedModule {
  /** Index of each export in the kernel table (the same on every thread). */
  ids: Map<string, number>;
}

export class NativeKernels {
  private readonly loaded = new Map<string, LoadedModule>();
  /** This thread's kernels, in kernel-table order. */
  private readonly kernels: KernelFn[] = [];
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly control: Int32Array;
  private started = false;

  private constructor(
    private readonly memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
    for (let index = 1; index < threads; index++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // The loop is plain CommonJS: none of the parent's options (a module loader such as
        // --import tsx when NormLab runs from source would only slow every pool's start).
        execArgv: [],
        workerData: { control: this.control.buffer, port: port2, memory, index, threads },
        transferList: [port2],
      });
      // The loop never returns to its event loop; an idle pool must not keep the process alive.
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /** The kernels of `backend` (one pool per backend instance, created on first use). */
  static for(backend: BackendWasm): NativeKernels {
    let pool = POOLS.get(backend);
    if (pool === undefined) {
      const { memory, shared } = backendMemory(backend);
      const threads = shared ? backend.wasm.tfjs.getThreadsCount() : 1;
      const created = new NativeKernels(memory, Math.max(1, threads));
      POOLS.set(backend, created);
      // The workers hold the backend's memory: stop them with the backend (tf.removeBackend).
      const dispose = backend.dispose.bind(backend);
      backend.dispose = () => {
        POOLS.delete(backend);
        created.dispose();
        dispose();
      };
      pool = created;
    }
    return pool;
  }

  /**
   * Runs export `fn` of `source` as fn(thread, threads, ...args) on every thread and returns when all
   * are done. Arguments are int32 (pointers are byte offsets: heapOffset).
   */
  run(source: NativeModuleSource, fn: string, args: number[]): void {
    const id = this.load(source).ids.get(fn);
    if (id === undefined) throw new Error(`native module ${source.name} has no kernel ${fn}`);
    if (args.length > MAX_ARGS) throw new Error(`${fn}: at most ${MAX_ARGS} arguments`);
    for (const a of args) {
      if (!Number.isInteger(a) || a < -(2 ** 31) || a >= 2 ** 31)
        throw new Error(`${fn}: argument ${a} is not an int32`);
    }
    const kernel = this.kernels[id] as KernelFn;
    if (this.threads === 1) {
      kernel(0, 1, ...args);
      return;
    }
    const c = this.control;
    c.set(args, ARGS);
    c[ARGC] = args.length;
    this.dispatch(id, () => kernel(0, this.threads, ...args));
  }

  private load(source: NativeModuleSource): LoadedModule {
    const have = this.loaded.get(source.name);
    if (have !== undefined) return have;
    const shared = this.memory.buffer instanceof SharedArrayBuffer;
    const bytes = Buffer.from(shared ? source.threaded : source.single, 'base64');
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    const names = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
    const ids = new Map<string, number>();
    for (const name of names) {
      ids.set(name, this.kernels.length);
      this.kernels.push(instance.exports[name] as KernelFn);
    }
    if (this.workers.length > 0) {
      for (const port of this.ports) port.postMessage({ module, names });
      this.dispatch(OP_LOAD, () => undefined);
    }
    const loaded = { ids };
    this.loaded.set(source.name, loaded);
    return loaded;
  }

  /** Waits (once) until every worker thread runs its loop, or throws after START_TIMEOUT_MS. */
  private awaitStart(): void {
    if (this.started) return;
    const c = this.control;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let ready = Atomics.load(c, READY); ready < this.workers.length; ready = Atomics.load(c, READY)) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(c, READY, ready, left) === 'timed-out') {
        throw new Error(
          `NormLab's native wasm kernels could not start their ${this.workers.length} worker thread(s) ` +
            `(${ready} started within ${START_TIMEOUT_MS / 1000} s); train with one wasm thread ` +
            `(--threads 1, or "wasm threads" 1 where the experiment picks its backend) and report this`,
        );
      }
    }
    this.started = true;
  }

  /** Wakes the workers for `op`, runs `own` here, then waits for the workers. */
  private dispatch(op: number, own: () => void): void {
    this.awaitStart();
    const c = this.control;
    c[OP] = op;
    c[FAILED] = 0;
    Atomics.store(c, PENDING, this.workers.length);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    let error: unknown;
    try {
      own();
    } catch (e) {
      error = e;
    }
    for (let left = Atomics.load(c, PENDING); left !== 0; left = Atomics.load(c, PENDING)) {
      Atomics.wait(c, PENDING, left);
    }
    if (error !== undefined) throw error;
    if (c[FAILED] !== 0) throw new Error('a native wasm kernel failed on a worker thread');
  }

  /** The control block, for tests that play the scheduler (late and spurious notifies). */
  get controlBlockForTests(): Int32Array {
    return this.control;
  }

  /** Stops the worker threads (the pool is unusable afterwards). */
  dispose(): void {
    if (this.workers.length === 0) return;
    // The workers leave their loop on OP_EXIT without counting themselves done: nothing waits.
    const c = this.control;
    c[OP] = OP_EXIT;
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    this.kernels.length = 0;
    this.loaded.clear();
  }
}

const POOLS = new WeakMap<BackendWasm, NativeKernels>();

/** The backend's WebAssembly.Memory and whether it is shared (the multi-threaded build). */
function backendMemory(backend: BackendWasm): { memory: WebAssembly.Memory; shared: boolean } {
  // The Emscripten module keeps its memory as wasmMemory (threaded build) or asm.memory (the
  // single-threaded build exports it); tfjs's module type declares neither.
  const module = backend.wasm as unknown as {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('the wasm backend does not expose its memory');
  return { memory, shared: memory.buffer instanceof SharedArrayBuffer };
}

/** Byte offset of a tensor's data on the wasm heap (the pointer a native kernel takes). */
export function heapOffset(backend: BackendWasm, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error('the tensor is not on the wasm backend (disposed?)');
  return data.memoryOffset;
}
