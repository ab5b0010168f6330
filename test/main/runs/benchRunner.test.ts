import { describe, expect, it } from 'vitest';
import { benchBackend, benchOps } from '../../../src/main/runs/benchRunner';

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

  it('reports a thread count wasm cannot use as the backend error, not a crash', async () => {
    const out = await benchBackend('wasm', [spec], undefined, 9);
    expect(out.results).toEqual([]);
    expect(out.error).toMatch(/the wasm thread count must be a whole number of threads from 1 to 8/);
  });
});

describe('benchBackend of a preset', () => {
  it("measures the preset's network in the worker and says which preset it was", async () => {
    const preset = {
      preset: 'vgg16-bn-cpu',
      network: 'vgg16',
      normalization: 'batch',
      widthMultiplier: 0.25,
      batchSize: 2,
      warmupSteps: 0,
      timedSteps: 1,
    } as const;
    const out = await benchBackend('wasm', [preset], undefined, 1);
    expect(out.error).toBeUndefined();
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject(preset);
    expect(out.results[0]?.imagesPerSec).toBeGreaterThan(0);
  }, 60_000);

  it("reports a spec that does not match its preset as the backend's error", async () => {
    const out = await benchBackend(
      'wasm',
      [
        {
          preset: 'vgg16-bn-cpu',
          network: 'vgg16',
          normalization: 'none',
          batchSize: 2,
          warmupSteps: 0,
          timedSteps: 1,
        },
      ],
      undefined,
      1,
    );
    expect(out.results).toEqual([]);
    expect(out.error).toMatch(/but preset vgg16-bn-cpu is vgg16 at width 0.25 with batch/);
  }, 60_000);
});

describe('benchBackend with a probe-overhead measurement', () => {
  it('returns the overhead of the preset the host asked for, next to the throughput', async () => {
    const out = await benchBackend('wasm', [spec], undefined, 2, [
      { preset: 'vgg-tiny-bn', batchSize: 4, warmupSteps: 0, timedSteps: 1 },
    ]);
    expect(out.error).toBeUndefined();
    expect(out.results).toHaveLength(1);
    expect(out.probeResults).toHaveLength(1);
    expect(out.probeResults[0]).toMatchObject({ preset: 'vgg-tiny-bn', network: 'vgg-tiny' });
    // vgg-tiny-bn has only the default norms (with the train metrics).
    expect(out.probeResults[0]?.probes.map((p) => p.probe)).toEqual(['norms']);
  }, 60_000);
});

describe('benchOps', () => {
  it('times the ops of vgg-mini in a wasm worker with the threads asked for, reporting each timing', async () => {
    const seen: string[] = [];
    // Batch 1, one call per op: the worker's start dominates.
    const out = await benchOps('wasm', [{ shapeSet: 'vgg-mini', batchSize: 1, warmup: 0, reps: 1 }], 1, (t) =>
      seen.push(`${t.layer} ${t.op}`),
    );
    expect(out.error).toBeUndefined();
    expect(out.info?.name).toBe('wasm');
    expect(out.info?.details.threadsCount).toBe(1);
    // 4 layers x 7 ops, but no input gradient on layer 1.
    expect(out.timings).toHaveLength(27);
    expect(seen).toEqual(out.timings.map((t) => `${t.layer} ${t.op}`));
    expect(out.timings[0]).toMatchObject({ op: 'conv-forward', layer: 1, shape: '1x32x32x3->64' });
  }, 60_000);

  it('reports a thread count wasm cannot use as the error, not a crash', async () => {
    const out = await benchOps('wasm', [{ shapeSet: 'vgg-mini', batchSize: 1, warmup: 0, reps: 1 }], 9);
    expect(out.timings).toEqual([]);
    expect(out.error).toMatch(/the wasm thread count must be a whole number of threads from 1 to 8/);
  });
});
