/**
 * estimatePlan from calibrations given by hand (calibrate.test.ts measures real ones): each run's
 * time composed of its kind's costs at the run's own cadences, the kind matched on what changes the
 * cost and nothing else, and the basis saying where the figure came from.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/main/api/reproduce/plan';
import {
  calibrationKind,
  checkpointsWritten,
  estimatePlan,
  testPasses,
  type Calibration,
  type CalibrationEntry,
} from '../../../../src/main/api/reproduce/planEstimate';
import { openStore, type Store } from '../../../../src/main/store';
import { experimentSchema } from '../../../../src/shared/config';
import { tempDirs } from '../../../helpers/tempDirs';

const dirs = tempDirs('plan-estimate');
afterAll(() => dirs.cleanup());

let store: Store;
beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterEach(() => store.close());

/** fig 4 at quick scale: vgg16 x1/8 plain and BN, 30 steps at batch 32. */
const plan = buildPlan({ scale: 'quick', only: 'fig4' });
const [plain, bn] = plan.runs as [(typeof plan.runs)[0], (typeof plan.runs)[0]];

const calibration: Calibration = {
  backend: 'wasm',
  threads: 2,
  startupSec: 3,
  warmupSec: 0.5,
  stepSec: 0.2,
  probeSec: { landscape: 0.8, norms: 0.01 },
  testPassSec: 0.4,
  checkpointSec: 0.05,
  busyWith: 0,
};

describe('estimatePlan with calibrations', () => {
  it("composes each run's time from its kind's calibration at the run's cadences", () => {
    expect(plain.config.schedule).toMatchObject({
      steps: 30,
      trainMetricsEvery: 5,
      testMetricsEvery: 15,
      checkpointEvery: 15,
    });
    expect([plain.config.probes.landscape.every, plain.config.probes.norms.every]).toEqual([10, 'train']);
    const table = new Map<string, CalibrationEntry>([
      [calibrationKind(plain.config, 'wasm'), { calibration }],
      [calibrationKind(bn.config, 'wasm'), { error: 'the engine worker crashed: out of memory' }],
    ]);
    const e = estimatePlan(store, plan, undefined, 'wasm', { table });
    // 3 + 0.5 start; 30 steps x 0.2; landscape at steps 1, 10, 20, 30: 4 x 0.8; norms with the train
    // metrics at steps 1, 5, ..., 30: 7 x 0.01; tests at steps 0, 15, 30: 3 x 0.4; checkpoints at 15
    // and the end: 2 x 0.05.
    expect(e.runs[0]?.estimateSec).toBeCloseTo(3.5 + 6 + 3.2 + 0.07 + 1.2 + 0.1, 9);
    expect(e.runs[0]?.basis).toBe(
      'calibrated here: 5 steps/s on wasm (2 threads); probes per call landscape 0.8 s x 4, norms 0.01 s x 7; ' +
        '3 test passes of 0.4 s; 2 checkpoint(s) of 0.05 s; start-up 3.5 s',
    );
    expect(e.runs[1]?.estimateSec).toBeNull();
    expect(e.runs[1]?.basis).toMatch(
      /^no run of vgg16 x0.125 with batch normalization on wasm is stored yet; .*; its calibration failed: the engine worker crashed: out of memory$/,
    );
    expect(e).toMatchObject({ unknownRuns: 1, totalSec: null });
    expect(testPasses(plain.config)).toBe(3);
    expect(checkpointsWritten(plain.config)).toBe(2);
  });

  it('says which probes the calibration has no time for, and when it was measured under load', () => {
    const table = new Map<string, CalibrationEntry>([
      [
        calibrationKind(plain.config, 'wasm'),
        { calibration: { ...calibration, probeSec: { norms: 0.01 }, threads: null, busyWith: 1 } },
      ],
    ]);
    const e = estimatePlan(store, plan, undefined, 'wasm', { table });
    expect(e.runs[0]?.estimateSec).toBeCloseTo(3.5 + 6 + 0.07 + 1.2 + 0.1, 9);
    expect(e.runs[0]?.basis).toMatch(/^calibrated here: 5 steps\/s on wasm; /);
    expect(e.runs[0]?.basis).toMatch(
      /not counted: the landscape probe\(s\), which recorded no time in the calibration; measured while 1 run\(s\) trained here/,
    );
  });

  it('matches a kind on backend, threads, model, batch and probe settings, not on seed, rate or cadences', () => {
    const kind = calibrationKind(plain.config, 'wasm');
    const parse = (patch: Record<string, unknown>) =>
      experimentSchema.parse({ ...JSON.parse(JSON.stringify(plain.config)), ...patch });
    const c = plain.config;
    // Same kind: another seed, learning rate, step count, cadences, name.
    expect(
      calibrationKind(
        parse({
          seed: 3,
          name: 'x',
          optimizer: { ...c.optimizer, lr: 0.5 },
          schedule: { ...c.schedule, steps: 600, trainMetricsEvery: 10, checkpointEvery: 150 },
          probes: { ...c.probes, landscape: { ...c.probes.landscape, every: 50 } },
        }),
        'wasm',
      ),
    ).toBe(kind);
    // Its own backend wins over the preferred one; 'wasm' named in the config is the same kind.
    expect(calibrationKind(parse({ backend: 'wasm' }), 'cpu')).toBe(kind);
    // Other kinds.
    expect(calibrationKind(c, 'cpu')).not.toBe(kind);
    expect(calibrationKind(c, 'wasm', 1)).not.toBe(kind);
    expect(calibrationKind(bn.config, 'wasm')).not.toBe(kind);
    expect(calibrationKind(parse({ schedule: { ...c.schedule, batchSize: 64 } }), 'wasm')).not.toBe(kind);
    expect(
      calibrationKind(
        parse({ probes: { ...c.probes, landscape: { every: 10, etaMultipliers: [1] } } }),
        'wasm',
      ),
    ).not.toBe(kind);
    expect(calibrationKind(parse({ probes: { ...c.probes, ics: { every: 10 } } }), 'wasm')).not.toBe(kind);
    // The BN decomposition never runs on a plain network: turning it on does not change the kind.
    expect(calibrationKind(parse({ probes: { ...c.probes, bnGradients: { every: 10 } } }), 'wasm')).toBe(
      kind,
    );
  });

  it("leaves a stored run's estimate and a run without either as they were", () => {
    const e = estimatePlan(store, plan, undefined, 'wasm', { table: new Map() });
    expect(e.runs.map((r) => r.estimateSec)).toEqual([null, null]);
    expect(e.runs[0]?.basis).toMatch(/^no run of vgg16 x0.125 with none normalization on wasm is stored yet/);
    expect(e.runs[0]?.basis).not.toMatch(/calibrat/);
  });
});
