import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/shared/errors';
import { MAX_WASM_THREADS, parseWasmThreads } from '../../src/shared/wasmThreads';

describe('parseWasmThreads', () => {
  it('takes auto and whole numbers from 1 to MAX_WASM_THREADS', () => {
    expect(parseWasmThreads('auto', '--threads')).toBe('auto');
    expect(parseWasmThreads(' 1', '--threads')).toBe(1);
    expect(parseWasmThreads(String(MAX_WASM_THREADS), '--threads')).toBe(MAX_WASM_THREADS);
  });

  it('names the option and the allowed range in its error', () => {
    for (const raw of ['', '0', '9', '1.5', 'x', 'AUTO']) {
      let error: unknown;
      try {
        parseWasmThreads(raw, '--threads');
      } catch (e) {
        error = e;
      }
      expect(isUserError(error), raw).toBe(true);
      expect((error as Error).message).toBe(
        `--threads must be a whole number of threads from 1 to 8, or "auto" for every core; not "${raw}"`,
      );
    }
  });
});
