import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  autoWasmThreadsFor,
  defaultWasmThreads,
  MIN_MACS_TO_THREAD,
  preferWasmThreadsFor,
  wasmThreadsWanted,
} from '../../../../../src/main/engine/backends/wasm/wasmThreads';
import {
  experimentSchema,
  type ExperimentConfig,
  type ExperimentInput,
} from '../../../../../src/shared/config';
import { isUserError } from '../../../../../src/shared/errors';
import { findPreset } from '../../../../../src/shared/presets';

function presetConfig(name: string): ExperimentConfig {
  const preset = findPreset(name);
  if (!preset) throw new Error(`no preset ${name}`);
  return experimentSchema.parse(preset.config);
}

describe('wasmThreadsWanted', () => {
  it('uses every core, at most 8, when NORMLAB_WASM_THREADS is unset, empty or auto', () => {
    const cores = Math.min(availableParallelism(), 8);
    expect(defaultWasmThreads()).toBe(cores);
    expect(wasmThreadsWanted({})).toBe(cores);
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: ' ' })).toBe(cores);
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: 'auto' })).toBe(cores);
  });

  it('takes a count from 1 to 8', () => {
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: '1' })).toBe(1);
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: ' 8 ' })).toBe(8);
  });

  it.each(['0', '9', '2.5', '-1', 'two', '1e1'])('rejects %j with a message naming the variable', (v) => {
    let error: unknown;
    try {
      wasmThreadsWanted({ NORMLAB_WASM_THREADS: v });
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /NORMLAB_WASM_THREADS must be a whole number of threads from 1 to 8/,
    );
  });
});

describe('autoWasmThreadsFor', () => {
  const cores = Math.min(availableParallelism(), 8);
  const config = (input: ExperimentInput) => experimentSchema.parse(input);

  it('keeps the paper DLN (1000 x 10 x 10 products) on one thread', () => {
    expect(autoWasmThreadsFor(presetConfig('dln25-bn'))).toBe(1);
  });

  it('threads every convnet, and an MLP on CIFAR-10, on every core', () => {
    expect(autoWasmThreadsFor(presetConfig('vgg-tiny-bn'))).toBe(cores);
    const mlp = config({
      model: { network: 'mlp', normalization: 'none' },
      data: { dataset: 'cifar10' },
      optimizer: { lr: 0.1 },
      schedule: { steps: 1, batchSize: 128 },
    });
    expect(autoWasmThreadsFor(mlp)).toBe(cores);
  });

  it('splits where the largest product reaches MIN_MACS_TO_THREAD', () => {
    // An MLP 64 -> 64 -> 64 on the synthetic task: batch x 64 x 64 multiply-adds per layer.
    const at = (batchSize: number) =>
      config({
        model: { network: 'mlp', normalization: 'none', hidden: [64] },
        data: { dataset: 'dln-synthetic', dim: 64, samples: 4096 },
        optimizer: { lr: 1e-6 },
        schedule: { steps: 1, batchSize },
      });
    expect(autoWasmThreadsFor(at(MIN_MACS_TO_THREAD / 4096 - 1))).toBe(1);
    expect(autoWasmThreadsFor(at(MIN_MACS_TO_THREAD / 4096))).toBe(cores);
  });

  it('is what "auto" means once a worker prefers a config, unless the variable names a count', () => {
    preferWasmThreadsFor(presetConfig('dln25-bn'));
    try {
      expect(wasmThreadsWanted({})).toBe(1);
      expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: 'auto' })).toBe(1);
      expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: '2' })).toBe(2);
    } finally {
      preferWasmThreadsFor(presetConfig('vgg-tiny-bn'));
    }
    expect(wasmThreadsWanted({})).toBe(cores);
  });
});

describe("a worker message's threads field", () => {
  const cores = Math.min(availableParallelism(), 8);

  it('wins over NORMLAB_WASM_THREADS, which stays the fallback when the field is absent', () => {
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: '2' }, 3)).toBe(3);
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: 'not a count' }, 1)).toBe(1);
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: '2' }, undefined)).toBe(2);
  });

  it.each([0, 9, 2.5])('refuses %s threads as a user error', (threads) => {
    let error: unknown;
    try {
      wasmThreadsWanted({}, threads);
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /the wasm thread count must be a whole number of threads from 1 to 8/,
    );
  });

  it('means the config\'s auto choice as "auto", and is kept by preferWasmThreadsFor', () => {
    preferWasmThreadsFor(presetConfig('dln25-bn'), 'auto');
    try {
      expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: '2' })).toBe(1);
      preferWasmThreadsFor(presetConfig('dln25-bn'), 4);
      expect(wasmThreadsWanted({})).toBe(4);
      preferWasmThreadsFor(undefined, 'auto');
      expect(wasmThreadsWanted({})).toBe(cores);
    } finally {
      preferWasmThreadsFor(undefined);
    }
    expect(wasmThreadsWanted({ NORMLAB_WASM_THREADS: '2' })).toBe(2);
  });
});
