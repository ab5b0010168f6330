/** The wasm backend with NormLab's training kernels (ARCHITECTURE.md, "Engine backends"). */
export { setupWasmBackend } from './setupWasmBackend';
export { registerWasmTrainingKernels, wasmTrainingKernelsRegistered } from './registerWasmTrainingKernels';
export { describeWasm } from './describeWasm';
export type { WasmDescription } from './describeWasm';
