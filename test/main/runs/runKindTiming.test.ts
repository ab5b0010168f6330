/**
 * The timing's config (the run's kind, its cadences rearranged) and its stop rule, against the
 * stand-in engine worker (steps of a fixed length, no probes, no test set); the real engine's timings
 * are tested through calibratePlan (test/main/api/reproduce/calibrate.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  summarizeTiming,
  timedEnough,
  TIMING_PROBE_EVERY,
  timeRunKind,
  timingConfig,
  type TimingTrace,
} from '../../../src/main/runs/runKindTiming';
import { buildPlan } from '../../../src/main/api/reproduce/plan';
import { experimentSchema } from '../../../src/shared/config';
import { FAKE_SLOW_STEP_MS, FAKE_STEP_MS, fakeEngineWorkerEntry } from '../../helpers/fakeEngineWorker';

describe('timingConfig', () => {
  it("keeps the run's model, data, batch and probe settings, and sets the timing's cadences", () => {
    const run = buildPlan({ scale: 'cpu', only: 'fig1' }).runs[0];
    if (!run) throw new Error('fig1 has runs');
    const t = timingConfig(run.config, 500);
    expect(t.model).toEqual(run.config.model);
    expect(t.optimizer).toEqual(run.config.optimizer);
    expect(t.data).toEqual({ ...run.config.data, testLimit: 500 });
    expect(t.schedule).toMatchObject({
      batchSize: 128,
      testBatchSize: run.config.schedule.testBatchSize,
      trainMetricsEvery: 1,
      checkpointEvery: 0,
    });
    // The test set is evaluated at step 0 only (and at the step cap, which a timing never reaches).
    expect(t.schedule.testMetricsEvery).toBe(t.schedule.steps);
    // Probes on stay on with their settings (the norms' 'train' too); probes off stay off.
    expect(t.probes.activations).toEqual({ ...run.config.probes.activations, every: TIMING_PROBE_EVERY });
    expect(t.probes.norms.every).toBe(TIMING_PROBE_EVERY);
    expect(t.probes.hessian.every).toBe(0);
    expect(run.config.probes.norms.every).toBe('train');
    // A run without test evaluations gets none; without a limit the run's own is kept.
    const quiet = experimentSchema.parse({
      ...run.config,
      schedule: { ...run.config.schedule, testMetricsEvery: 0 },
    });
    expect(timingConfig(quiet).schedule.testMetricsEvery).toBe(0);
    expect(timingConfig(quiet).data.testLimit).toBe(run.config.data.testLimit);
  });
});

describe('summarizeTiming', () => {
  const backend = { name: 'wasm' as const, device: 'x', software: false, details: { threadsCount: 2 } };

  /**
   * A made-up run: start-up 500 ms; step 0's evaluation 100 ms; step 1 with its probes (landscape 50
   * ms, norms 5 ms per call) and 300 ms of first calls; plain steps 30 ms until step 12 and 10 ms
   * after (the tiers); probe steps (4, 8, ...) their probes on top.
   */
  function trace(steps: number): TimingTrace {
    const progressAt: number[] = [];
    let t = 1600;
    for (let k = 1; k <= steps; k++) {
      t += k <= 12 ? 30 : 10;
      if (k === 1) t += 300;
      if (k === 1 || k % TIMING_PROBE_EVERY === 0) t += 55;
      progressAt[k] = t;
    }
    const calls = Math.floor(steps / TIMING_PROBE_EVERY);
    return {
      sentAt: 1000,
      startedAt: 1500,
      progressAt,
      evaluatedAt: 1600,
      firstProbes: ['landscape', 'norms'],
      probeMs: new Map([
        ['landscape', Array<number>(calls).fill(50)],
        ['norms', Array<number>(calls).fill(5)],
      ]),
      checkpointMs: 7,
    };
  }

  it('takes the step time from the later half of the plain steps, the rest of the ramp as warm-up', () => {
    // 40 steps: 28 plain ones (3..40 less the probe steps 4, 8, ..., 40); the later half (14) starts
    // at step 22, after the ramp.
    const t = summarizeTiming(trace(40), backend, 9999);
    expect(t).toMatchObject({
      startupMs: 500,
      evalMs: 100,
      timedSteps: 14,
      probeMs: { landscape: 50, norms: 5 },
      probeCalls: 10,
      checkpointMs: 7,
      steps: 40,
      wallMs: 9999,
    });
    expect(t?.stepMs).toBeCloseTo(10, 9);
    // Steps 1..21 took 12 x 30 + 9 x 10 ms, 300 ms of first calls and probes at steps 1, 4, ..., 20;
    // steady, 21 x 10 ms and the same probes: step 1's 300 ms and 20 ms in each of steps 1..12 over.
    expect(t?.warmupMs).toBeCloseTo(300 + 12 * 20, 9);
  });

  it('averages every plain step while they are few, and times step 0 as the evaluation', () => {
    // Steps 3, 5, 6: all averaged (30 ms); warm-up: step 1's first calls, from step 0's end.
    const t = summarizeTiming(trace(6), backend, 1);
    expect(t).toMatchObject({ timedSteps: 3, evalMs: 100 });
    expect(t?.stepMs).toBeCloseTo(30, 9);
    expect(t?.warmupMs).toBeCloseTo(300, 9);
    // A run without a test set: no evaluation, its loop starts at the started event.
    const quiet = summarizeTiming({ ...trace(6), evaluatedAt: undefined }, backend, 1);
    expect(quiet?.evalMs).toBeNull();
    expect(quiet?.warmupMs).toBeCloseTo(400, 9);
  });

  it('is not enough before every cost was seen and the window has passed', () => {
    expect(timedEnough(trace(3))).toBe(false);
    // Everything seen by step 5, but the window after step 2 is short of 2 s ...
    expect(timedEnough(trace(6))).toBe(false);
    // ... until steps of 10 ms add up to it.
    expect(timedEnough(trace(200))).toBe(true);
    expect(summarizeTiming(trace(2), backend, 1)).toBeUndefined();
  });
});

describe('timeRunKind', () => {
  const dln = (name: string) =>
    experimentSchema.parse({
      name,
      model: { network: 'dln25' },
      data: { dataset: 'dln-synthetic' },
      optimizer: { lr: 1e-6 },
      schedule: { steps: 10_000, batchSize: 1000 },
    });

  it('stops once the steps timed add up to enough, and reports their mean', async () => {
    const t = await timeRunKind(dln('slow'), { workerEntry: fakeEngineWorkerEntry() });
    expect(t.backend).toMatchObject({ name: 'cpu', device: 'fake' });
    // 2 s of 40 ms steps after step 2: about 50 steps, of which the later half of the plain ones count.
    expect(t.timedSteps).toBeGreaterThanOrEqual(8);
    expect(t.steps).toBeLessThan(2000 / FAKE_SLOW_STEP_MS + 20);
    expect(t.stepMs).toBeGreaterThanOrEqual(FAKE_SLOW_STEP_MS * 0.9);
    expect(t.stepMs).toBeLessThan(FAKE_SLOW_STEP_MS * 3);
    // The stand-in records no probe and has no test set.
    expect(t).toMatchObject({ probeMs: {}, probeCalls: 0, evalMs: null });
    expect(t.startupMs).toBeGreaterThan(0);
    expect(t.wallMs).toBeGreaterThan(t.startupMs + t.timedSteps * t.stepMs * 0.9);
  });

  it('stops after a bounded number of steps when they take a few ms', async () => {
    const t = await timeRunKind(dln('fast'), { workerEntry: fakeEngineWorkerEntry() });
    // 2 ms steps reach the cap of 300 plain steps (about 400 steps) before 2 s; the later half counts.
    expect(t.timedSteps).toBe(150);
    expect(t.steps).toBeLessThanOrEqual(500);
    expect(t.stepMs).toBeGreaterThanOrEqual(FAKE_STEP_MS * 0.9);
  });

  it("rejects with the worker's failure", async () => {
    await expect(
      timeRunKind(dln('x'), { workerEntry: { path: '/nonexistent/worker.mjs', execArgv: [] } }),
    ).rejects.toThrow(/engine worker/);
  });
});
