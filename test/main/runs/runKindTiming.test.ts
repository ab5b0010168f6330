/**
 * The timing's config (the run's kind, its cadences rearranged) and its stop rule, against the
 * stand-in engine worker (steps of a fixed length, no probes, no test set); the real engine's timings
 * are tested through calibratePlan (test/main/api/reproduce/calibrate.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  TIMING_PROBE_EVERY,
  TIMING_TEST_EVERY,
  timeRunKind,
  timingConfig,
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
      testMetricsEvery: TIMING_TEST_EVERY,
      checkpointEvery: 0,
    });
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
    // 300 ms of 40 ms steps: about 8 plain steps; far from the copy's step cap.
    expect(t.timedSteps).toBeGreaterThanOrEqual(300 / (2 * FAKE_SLOW_STEP_MS));
    expect(t.steps).toBeLessThan(30);
    expect(t.stepMs).toBeGreaterThanOrEqual(FAKE_SLOW_STEP_MS * 0.9);
    expect(t.stepMs).toBeLessThan(FAKE_SLOW_STEP_MS * 3);
    // The stand-in records no probe and has no test set.
    expect(t).toMatchObject({ probeMs: {}, probeCalls: 0, evalMs: null });
    expect(t.startupMs).toBeGreaterThan(0);
    expect(t.wallMs).toBeGreaterThan(t.startupMs + t.timedSteps * t.stepMs * 0.9);
  });

  it('stops after a bounded number of steps when they take a few ms', async () => {
    const t = await timeRunKind(dln('fast'), { workerEntry: fakeEngineWorkerEntry() });
    // 2 ms steps reach the cap on steps timed (60) before 300 ms.
    expect(t.timedSteps).toBeGreaterThan(20);
    expect(t.steps).toBeLessThanOrEqual(100);
    expect(t.stepMs).toBeGreaterThanOrEqual(FAKE_STEP_MS * 0.9);
  });

  it("rejects with the worker's failure", async () => {
    await expect(
      timeRunKind(dln('x'), { workerEntry: { path: '/nonexistent/worker.mjs', execArgv: [] } }),
    ).rejects.toThrow(/engine worker/);
  });
});
