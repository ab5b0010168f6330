import { describe, expect, it } from 'vitest';
import { benchBackend } from '../../../src/main/runs/benchRunner';

const spec = {
  network: 'vgg-tiny',
  normalization: 'batch',
  batchSize: 4,
  warmupSteps: 0,
  timedSteps: 1,
} as const;

describe('benchBackend', () => {
  it.each([1, 2])('measures wasm in a worker running %i thread(s)', async (threads) => {
    const out = await benchBackend('wasm', [spec], undefined, threads);
    expect(out.error).toBeUndefined();
    expect(out.threads).toBe(threads);
    expect(out.info?.name).toBe('wasm');
    expect(out.info?.details.threadsCount).toBe(threads);
    expect(out.results).toHaveLength(1);
    const r = out.results[0];
    expect(r?.imagesPerSec).toBeGreaterThan(0);
    expect(r?.msPerStep).toBeGreaterThan(0);
  });

  it('reports a thread count the engine refuses as the backend error, not a crash', async () => {
    const out = await benchBackend('wasm', [spec], undefined, 9);
    expect(out.results).toEqual([]);
    expect(out.error).toMatch(/NORMLAB_WASM_THREADS must be a whole number of threads from 1 to 8/);
  });
});
