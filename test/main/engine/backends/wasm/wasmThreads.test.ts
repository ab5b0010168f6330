import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  defaultWasmThreads,
  wasmThreadsWanted,
} from '../../../../../src/main/engine/backends/wasm/wasmThreads';
import { isUserError } from '../../../../../src/shared/errors';

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
