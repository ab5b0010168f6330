import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimate, probeCalls } from '../../../src/main/api/estimates';
import { openStore, type Store } from '../../../src/main/store';
import { experimentSchema, type ExperimentConfig } from '../../../src/shared/config';
import { tempDirs } from '../../helpers/tempDirs';

const dirs = tempDirs('estimates');
afterAll(() => dirs.cleanup());

let store: Store;
beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterEach(() => store.close());

function tiny(extra: Record<string, unknown> = {}): ExperimentConfig {
  return experimentSchema.parse({
    model: { network: 'vgg-tiny', normalization: 'batch' },
    data: { dataset: 'cifar10' },
    optimizer: { lr: 0.1 },
    schedule: { steps: 200, batchSize: 64, trainMetricsEvery: 10 },
    probes: { landscape: { every: 10 }, norms: { every: 0 } },
    ...extra,
  });
}

/** A stored run of `config` on `backend` that measured `eps` examples/s and the given probe times. */
function measured(
  config: ExperimentConfig,
  backend: string,
  eps: number,
  probeMs: Record<string, number> = {},
): string {
  const id = store.createRun(config);
  store.markRunning(id, { backend, device: 'x', softwareDevice: false });
  store.appendPoints(id, [
    { series: 'perf/examples_per_sec', step: 1, value: eps / 2 },
    { series: 'perf/examples_per_sec', step: 10, value: eps },
    ...Object.entries(probeMs).map(([probe, ms]) => ({
      series: `probe/${probe}/cost/ms`,
      step: 1,
      value: ms,
    })),
  ]);
  return id;
}

describe('probeCalls', () => {
  it('counts step 1 and every every-th step', () => {
    expect(probeCalls(0, 100)).toBe(0);
    expect(probeCalls(1, 10)).toBe(10);
    expect(probeCalls(3, 4)).toBe(2);
    expect(probeCalls(50, 10_000)).toBe(201);
  });
});

describe('estimate', () => {
  it('is null, saying why, with no stored run of the network', () => {
    expect(estimate(store, tiny())).toEqual({
      estimateSec: null,
      estimateBasis:
        'no run of vgg-tiny with batch normalization is stored yet; run one to time it on this machine',
    });
  });

  it("adds the training time at the newest run's examples/s and each probe's calls at its time per call", () => {
    measured(tiny(), 'wasm', 100);
    const id = measured(tiny(), 'wasm', 500, { landscape: 200 });
    // 200 steps x 64 examples / 500 per s + 21 landscape calls x 0.2 s.
    const e = estimate(store, tiny());
    expect(e.estimateSec).toBeCloseTo(25.6 + 4.2, 9);
    expect(e.estimateBasis).toBe(
      `from run ${id} of vgg-tiny with batch normalization: 500 examples/s on wasm, probes 4 s; test evaluations not counted`,
    );
  });

  it("matches the width and the backend asked for (the experiment's, else the preferred one)", () => {
    measured(tiny(), 'wasm', 500, { landscape: 200 });
    const half = tiny({ model: { network: 'vgg-tiny', normalization: 'batch', widthMultiplier: 0.5 } });
    expect(estimate(store, half).estimateBasis).toMatch(/^no run of vgg-tiny x0\.5 with batch normalization/);
    expect(estimate(store, tiny({ backend: 'webgpu' })).estimateBasis).toMatch(/ on webgpu is stored yet/);
    expect(estimate(store, tiny(), 'webgpu').estimateSec).toBeNull();
    expect(estimate(store, tiny(), 'wasm').estimateSec).not.toBeNull();
  });

  it('says which probes it could not count', () => {
    measured(tiny(), 'wasm', 500);
    const e = estimate(store, tiny());
    expect(e.estimateSec).toBeCloseTo(25.6, 9);
    expect(e.estimateBasis).toMatch(/not counted: the landscape probe\(s\), which that run did not measure/);
  });
});
