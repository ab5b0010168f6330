import { cpus } from 'node:os';

/** The CPU model and logical core count, e.g. "AMD EPYC 7B13 (2 threads)"; what wasm and cpu run on. */
export function hostCpuDescription(): string {
  const all = cpus();
  const model = all[0]?.model.trim() || 'unknown CPU';
  return `${model} (${all.length} threads)`;
}
