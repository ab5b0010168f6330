import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/main/api/reproduce/plan';
import { classifyPlan } from '../../../../src/main/api/reproduce/planStatus';
import { estimatePlan } from '../../../../src/main/api/reproduce/planEstimate';
import { openStore, type Store } from '../../../../src/main/store';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import { readRunRow } from '../../../helpers/runDatabase';
import { tempDirs } from '../../../helpers/tempDirs';

const dirs = tempDirs('repro-plan');
afterAll(() => dirs.cleanup());

let store: Store;
beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterEach(() => store.close());

/** fig 4 at quick scale: two VGG runs (plain, bn), one seed. */
const plan = buildPlan({ scale: 'quick', only: 'fig4' });
const [plain, bn] = plan.runs as [(typeof plan.runs)[0], (typeof plan.runs)[0]];

/** The config as a store would hold it after a JSON round trip, named differently, data dir set. */
function stored(config: ExperimentConfig): ExperimentConfig {
  const json = JSON.parse(JSON.stringify(config)) as ExperimentConfig;
  return experimentSchema.parse({ ...json, name: 'something else', data: { ...json.data, dir: '/x' } });
}

describe('classifyPlan', () => {
  it('finds finished runs as done, interrupted ones as resumable, the rest to run', () => {
    const done = store.createRun(stored(plain.config));
    store.markRunning(done, { backend: 'cpu', device: 'x', softwareDevice: false });
    store.finish(done, 'completed');
    const cut = store.createRun(stored(bn.config));
    store.markRunning(cut, { backend: 'cpu', device: 'x', softwareDevice: false });
    store.appendPoints(cut, [{ series: 'train/loss', step: 7, value: 2 }], { lastStep: 7 });
    store.setStatus(cut, 'interrupted');
    expect(readRunRow(store.path, cut)).toEqual({ status: 'interrupted', lastStep: 7 });

    expect(classifyPlan(store, plan.runs)).toEqual([
      { key: plain.key, state: 'done', runId: done, lastStep: null },
      { key: bn.key, state: 'resumable', runId: cut, lastStep: 7 },
    ]);
    const other = buildPlan({ scale: 'quick', only: 'fig3a' });
    // fig 3a's LR 0.1 runs record other probes than fig 4's alone: another config, nothing stored.
    expect(classifyPlan(store, other.runs).map((s) => s.state)).toEqual([
      'to-run',
      'to-run',
      'to-run',
      'to-run',
    ]);
  });

  it('prefers a done run over an interrupted one of the same config; a live one is active', () => {
    const cut = store.createRun(stored(plain.config));
    store.setStatus(cut, 'interrupted');
    const done = store.createRun(stored(plain.config));
    store.finish(done, 'diverged');
    const queued = store.createRun(stored(bn.config));
    expect(classifyPlan(store, plan.runs).map((s) => [s.state, s.runId])).toEqual([
      ['done', done],
      ['active', queued],
    ]);
  });

  it('does not match a run whose config differs in anything but name and data folder', () => {
    store.createRun(stored({ ...plain.config, seed: 1 }));
    store.createRun(stored({ ...bn.config, optimizer: { ...bn.config.optimizer, lr: 0.2 } }));
    expect(classifyPlan(store, plan.runs).map((s) => s.state)).toEqual(['to-run', 'to-run']);
  });
});

describe('estimatePlan', () => {
  it('sums the estimates from a stored throughput sample, null where the machine has no basis', () => {
    // A measured vgg16 x1/8 plain run (quick scale's network): 640 examples/s, landscape 100 ms/call.
    const sample = store.createRun(stored({ ...plain.config, seed: 9 }));
    store.markRunning(sample, { backend: 'cpu', device: 'x', softwareDevice: false });
    store.appendPoints(sample, [
      { series: 'perf/examples_per_sec', step: 1, value: 640 },
      { series: 'probe/landscape/cost/ms', step: 1, value: 100 },
    ]);
    const e = estimatePlan(store, plan);
    // plain: 30 steps x 32 / 640 = 1.5 s, landscape every 10 over 30 steps: 4 calls x 0.1 s = 0.4 s.
    expect(e.runs[0]?.estimateSec).toBeCloseTo(1.9, 9);
    expect(e.runs[1]).toMatchObject({ estimateSec: null });
    expect(e.runs[1]?.basis).toMatch(/no run of vgg16 x0.125 with batch normalization/);
    expect(e).toMatchObject({ unknownRuns: 1, totalSec: null });
    expect(e.knownSec).toBeCloseTo(1.9, 9);
  });

  it('counts a done run as nothing and totals when every remaining run has a basis', () => {
    const done = store.createRun(stored(bn.config));
    store.finish(done, 'completed');
    const sample = store.createRun(stored({ ...plain.config, seed: 9 }));
    store.markRunning(sample, { backend: 'cpu', device: 'x', softwareDevice: false });
    store.appendPoints(sample, [{ series: 'perf/examples_per_sec', step: 1, value: 320 }]);
    const e = estimatePlan(store, plan, classifyPlan(store, plan.runs));
    expect(e.runs[1]).toMatchObject({ estimateSec: 0 });
    // 30 x 32 / 320 = 3 s of training; the unmeasured landscape probe is not counted (its basis says so).
    expect(e.totalSec).toBeCloseTo(3, 9);
    expect(e.runs[0]?.basis).toMatch(/not counted: the landscape/);
  });
});
