/**
 * calibratePlan times each kind of run left in a plan in a real engine worker (wasm, smoke-scale
 * runs: vgg16 at width 1/16 for 6 steps at batch 16, the DLN 20 steps) and estimatePlan prices each
 * run from its kind's calibration unless a stored run of the kind gives a figure.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calibratePlan,
  calibrationsFor,
  forgetCalibrations,
  type CalibrationContext,
} from '../../../../src/main/api/reproduce/calibrate';
import { buildPlan, type ReproPlan } from '../../../../src/main/api/reproduce/plan';
import {
  calibrationKind,
  estimatePlan,
  type Calibration,
  type PlanEstimate,
} from '../../../../src/main/api/reproduce/planEstimate';
import { classifyPlan, type PlannedRunStatus } from '../../../../src/main/api/reproduce/planStatus';
import type { WorkerEntry } from '../../../../src/main/runs/workerHost';
import { openStore, type Store } from '../../../../src/main/store';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import { SHARED_CIFAR10 } from '../../../helpers/repoPaths';
import { tempDirs } from '../../../helpers/tempDirs';

const dirs = tempDirs('calibrate');
let dir: string;
let dbPath: string;
let store: Store;
beforeAll(() => {
  dir = dirs.make();
  dbPath = join(dir, 'runs.sqlite');
  store = openStore(dbPath);
});
afterAll(() => {
  store.close();
  forgetCalibrations(dbPath);
  dirs.cleanup();
});

function context(cifar10Dir: string, workerEntry?: WorkerEntry): CalibrationContext {
  return {
    store,
    dbPath,
    places: { settings: () => ({ cifar10Dir }), dataDir: dir },
    settings: () => ({}),
    workerEntry,
    runs: { activeRunIds: () => [] },
  };
}

/** fig 4 at smoke scale: vgg16 x1/16 plain and BN, one seed. */
const plan = buildPlan({ scale: 'smoke', only: 'fig4' });
const [plain, bn] = plan.runs as [(typeof plan.runs)[0], (typeof plan.runs)[0]];
let statuses: PlannedRunStatus[];
beforeAll(() => {
  statuses = classifyPlan(store, plan.runs);
});

const estimated = (p: ReproPlan = plan, s: readonly PlannedRunStatus[] = statuses): PlanEstimate =>
  estimatePlan(store, p, s, 'wasm', { table: calibrationsFor(dbPath) });

function calibrationOf(config: ExperimentConfig): Calibration {
  const entry = calibrationsFor(dbPath).get(calibrationKind(config, 'wasm'));
  if (!entry || !('calibration' in entry)) throw new Error(`no calibration: ${JSON.stringify(entry)}`);
  return entry.calibration;
}

describe('calibratePlan', () => {
  it('keeps why a kind could not be timed, and its runs stay without an estimate', async () => {
    await calibratePlan(context(join(dir, 'nowhere')), plan, statuses, { backend: 'wasm' });
    const e = estimated();
    expect(e).toMatchObject({ unknownRuns: 2, totalSec: null });
    for (const run of e.runs) {
      expect(run.estimateSec).toBeNull();
      expect(run.basis).toMatch(
        /^no run of vgg16 x0.0625 with (none|batch) normalization on wasm is stored yet.*; its calibration failed: CIFAR-10 was not found at .*nowhere/,
      );
    }
  });

  it('times each kind left on this machine (CIFAR-10 from the folder given), so every run has an estimate', async () => {
    // The folder given (reproduce --data) wins over the setting, which points nowhere.
    await calibratePlan(context(join(dir, 'nowhere')), plan, statuses, {
      backend: 'wasm',
      dataDir: SHARED_CIFAR10,
    });
    const e = estimated();
    expect(e.unknownRuns).toBe(0);
    for (const run of e.runs) {
      expect(run.basis).toMatch(
        /^calibrated here: [\d.]+ steps\/s on wasm \(\d threads?\); probes per call /,
      );
    }
    expect(e.totalSec).toBeCloseTo((e.runs[0]?.estimateSec ?? 0) + (e.runs[1]?.estimateSec ?? 0), 9);

    // What the smoke protocol gives fig 4's runs, counted by hand below.
    for (const run of [plain, bn]) {
      expect(run.config.schedule).toMatchObject({
        steps: 6,
        trainMetricsEvery: 1,
        testMetricsEvery: 2,
        checkpointEvery: 3,
      });
      expect(run.config.probes.landscape.every).toBe(2);
      expect(run.config.probes.norms.every).toBe('train');
      expect([run.config.probes.ics.every, run.config.probes.activations.every]).toEqual([0, 0]);
    }
    for (const [k, run] of [plain, bn].entries()) {
      const c = calibrationOf(run.config);
      expect(c.backend).toBe('wasm');
      expect(c.threads).toBeGreaterThanOrEqual(1);
      expect(c.stepSec).toBeGreaterThan(0);
      expect(c.startupSec).toBeGreaterThan(0);
      // Step 0's evaluation of the run's 64 test images, timed.
      expect(c.testPassSec).toBeGreaterThan(0);
      expect(Object.keys(c.probeSec).sort()).toEqual(['landscape', 'norms']);
      // 6 steps; landscape at steps 1, 2, 4, 6; norms with the train metrics, every step; test
      // passes at steps 0, 2, 4, 6; checkpoints at step 3 and at the end.
      const expected =
        c.startupSec +
        c.warmupSec +
        6 * c.stepSec +
        4 * (c.probeSec.landscape ?? NaN) +
        6 * (c.probeSec.norms ?? NaN) +
        4 * (c.testPassSec ?? NaN) +
        2 * c.checkpointSec;
      expect(e.runs[k]?.estimateSec).toBeCloseTo(expected, 9);
      expect(e.runs[k]?.basis).toContain('4 test passes of');
    }
  }, 120_000);

  it('does not time a kind this process has timed already', async () => {
    const before = plan.runs.map((r) => calibrationsFor(dbPath).get(calibrationKind(r.config, 'wasm')));
    // A worker that cannot start: a kind timed again now would keep an error instead.
    const broken = { path: join(dir, 'no-such-worker.mjs'), execArgv: [] };
    await calibratePlan(context(SHARED_CIFAR10, broken), plan, statuses, { backend: 'wasm' });
    const after = plan.runs.map((r) => calibrationsFor(dbPath).get(calibrationKind(r.config, 'wasm')));
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(estimated().unknownRuns).toBe(0);
    // Another backend is another kind: timed (and here failing with the broken worker).
    await calibratePlan(context(SHARED_CIFAR10, broken), plan, statuses, { backend: 'cpu' });
    const cpu = estimatePlan(store, plan, statuses, 'cpu', { table: calibrationsFor(dbPath) });
    expect(cpu.runs[0]?.basis).toMatch(/its calibration failed: /);
  });

  it("prefers a stored run's timing of the kind to the calibration", () => {
    // A stored plain run of the same kind (another seed): 640 examples/s, landscape 100 ms per call.
    const sample = store.createRun(
      experimentSchema.parse({ ...JSON.parse(JSON.stringify(plain.config)), seed: 9, backend: 'wasm' }),
    );
    store.markRunning(sample, { backend: 'wasm', device: 'x', softwareDevice: false });
    store.appendPoints(sample, [
      { series: 'perf/examples_per_sec', step: 1, value: 640 },
      { series: 'probe/landscape/cost/ms', step: 1, value: 100 },
    ]);
    const e = estimated(plan, classifyPlan(store, plan.runs));
    expect(e.runs[0]?.basis).toMatch(new RegExp(`^from run ${sample} `));
    // 6 steps x 16 / 640 = 0.15 s, landscape 4 calls x 0.1 s.
    expect(e.runs[0]?.estimateSec).toBeCloseTo(0.55, 9);
    expect(e.runs[1]?.basis).toMatch(/^calibrated here: /);
  });
});

describe('calibratePlan on a network without a test set', () => {
  it('counts no test pass, and times the DLN on the threads its runs get', async () => {
    const fig3b = buildPlan({ scale: 'smoke', only: 'fig3b' });
    const dln = fig3b.runs.find((r) => r.network === 'dln') as (typeof fig3b.runs)[0];
    const one: ReproPlan = { ...fig3b, runs: [dln] };
    const st = classifyPlan(store, one.runs);
    await calibratePlan(context(join(dir, 'nowhere')), one, st, { backend: 'wasm' });
    const e = estimated(one, st);
    const c = calibrationOf(dln.config);
    expect(c.testPassSec).toBeNull();
    // dln25's 10 x 10 products are too small to split: a run takes one wasm thread (wasmThreads.ts).
    expect(c.threads).toBe(1);
    expect(e.runs[0]?.estimateSec).toBeGreaterThan(c.startupSec + 20 * c.stepSec);
    expect(e.runs[0]?.basis).toMatch(/^calibrated here: [\d.]+ steps\/s on wasm \(1 thread\)/);
    expect(e.runs[0]?.basis).not.toContain('test passes');
  }, 60_000);
});
