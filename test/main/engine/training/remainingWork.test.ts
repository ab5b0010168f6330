import { describe, expect, it } from 'vitest';
import {
  dueSteps,
  multiplesBetween,
  RemainingWork,
  type WorkPlan,
} from '../../../../src/main/engine/training/remainingWork';
import type { ProbeName } from '../../../../src/shared/probes';

/** Steps j in (from, to] for which `due(j)` holds, by enumeration. */
function count(from: number, to: number, due: (j: number) => boolean): number {
  let n = 0;
  for (let j = from + 1; j <= to; j++) if (due(j)) n++;
  return n;
}

interface Costs {
  step: number;
  probes: Partial<Record<ProbeName, number>>;
  evaluation: number;
  checkpoint: number;
}

/**
 * What the trainer's loop will still do after step k, step by step, priced at `costs` (ms): the
 * independent computation the estimator is checked against.
 */
function simulate(plan: WorkPlan, costs: Costs, k: number): number {
  let ms = 0;
  // The evaluation before step 1 of a fresh run, left only when nothing has run.
  if (k === 0 && plan.testAtStart && plan.testEvery > 0 && plan.testSize > 0) ms += costs.evaluation;
  for (let j = k + 1; j <= plan.totalSteps; j++) {
    ms += costs.step;
    for (const [probe, every] of Object.entries(plan.probeEvery) as [ProbeName, number][]) {
      if (every > 0 && (j === 1 || j % every === 0)) ms += costs.probes[probe] ?? 0;
    }
    const evaluated =
      plan.testEvery > 0 && plan.testSize > 0 && (j % plan.testEvery === 0 || j === plan.totalSteps);
    if (evaluated) ms += costs.evaluation;
    if (plan.checkpointEvery > 0 && j % plan.checkpointEvery === 0 && j < plan.totalSteps)
      ms += costs.checkpoint;
  }
  // The checkpoint after the loop.
  if (k < plan.totalSteps) ms += costs.checkpoint;
  return ms / 1000;
}

const dlnPlan: WorkPlan = {
  totalSteps: 10_000,
  probeEvery: { landscape: 50, ics: 50, activations: 50, bnGradients: 50, norms: 10 },
  testEvery: 0,
  testAtStart: false,
  batchSize: 1000,
  testSize: 0,
  checkpointEvery: 1000,
};

const vggPlan: WorkPlan = {
  totalSteps: 1_234,
  probeEvery: { landscape: 100, hessian: 300, norms: 1 },
  testEvery: 200,
  testAtStart: true,
  batchSize: 128,
  testSize: 10_000,
  checkpointEvery: 500,
};

function measured(plan: WorkPlan, costs: Costs): RemainingWork {
  const work = new RemainingWork(plan);
  work.addStep(costs.step);
  for (const [probe, ms] of Object.entries(costs.probes) as [ProbeName, number][]) work.addProbe(probe, ms);
  work.addEvaluation(costs.evaluation);
  work.addCheckpoint(costs.checkpoint);
  return work;
}

describe('counting the steps work is due at', () => {
  it('matches enumeration, step 1 included for probes, for every cadence and range', () => {
    for (const every of [0, 1, 2, 7, 50]) {
      for (const [from, to] of [
        [0, 0],
        [0, 1],
        [0, 100],
        [1, 100],
        [49, 50],
        [50, 50],
        [13, 377],
      ] as const) {
        expect(multiplesBetween(every, from, to)).toBe(count(from, to, (j) => every > 0 && j % every === 0));
        expect(dueSteps(every, from, to)).toBe(
          count(from, to, (j) => every > 0 && (j === 1 || j % every === 0)),
        );
      }
    }
  });
});

describe('RemainingWork.etaSec', () => {
  const dlnCosts: Costs = {
    step: 1.5,
    probes: { landscape: 40, ics: 25, activations: 3, bnGradients: 30, norms: 0.4 },
    evaluation: 0,
    checkpoint: 5,
  };
  const vggCosts: Costs = {
    step: 300,
    probes: { landscape: 1500, hessian: 20_000, norms: 2 },
    evaluation: 9000,
    checkpoint: 80,
  };

  it.each([0, 1, 49, 50, 999, 1000, 5_555, 9_999, 10_000])(
    'DLN with probes after step %i: every step, probe and checkpoint left, at its cost',
    (k) => {
      expect(measured(dlnPlan, dlnCosts).etaSec(k)).toBeCloseTo(simulate(dlnPlan, dlnCosts, k), 9);
    },
  );

  it.each([0, 1, 199, 200, 1_000, 1_233, 1_234])('VGG with evaluations after step %i', (k) => {
    expect(measured(vggPlan, vggCosts).etaSec(k)).toBeCloseTo(simulate(vggPlan, vggCosts, k), 9);
  });

  it('counts the probes: on the paper DLN they more than double the time left', () => {
    const eta = measured(dlnPlan, dlnCosts).etaSec(1) as number;
    const stepsOnly = (9_999 * dlnCosts.step) / 1000;
    expect(eta).toBeGreaterThan(2 * stepsOnly);
  });

  it('is unknown before the first step, and counts unmeasured probes and checkpoints as free', () => {
    const work = new RemainingWork(dlnPlan);
    expect(work.etaSec(0)).toBeNull();
    work.addStep(2);
    expect(work.etaSec(0)).toBeCloseTo((10_000 * 2) / 1000, 9);
  });

  it('counts the evaluation at step 0 in a fresh run before it starts, never in a resumed one', () => {
    const costs: Costs = { step: 300, probes: {}, evaluation: 9000, checkpoint: 0 };
    const fresh = measured({ ...vggPlan, probeEvery: {} }, costs);
    const resumed = measured({ ...vggPlan, probeEvery: {}, testAtStart: false }, costs);
    expect((fresh.etaSec(0) as number) - (resumed.etaSec(0) as number)).toBeCloseTo(9, 9);
    // Once step 1 is done the evaluation at step 0 is behind either run.
    expect(fresh.etaSec(1)).toBeCloseTo(resumed.etaSec(1) as number, 9);
    const none = measured({ ...vggPlan, probeEvery: {}, testEvery: 0 }, costs);
    expect(none.etaSec(0)).toBeCloseTo((1_234 * 300) / 1000, 9);
  });

  it('prices an evaluation not run yet as a forward pass over the test set', () => {
    const work = new RemainingWork(vggPlan);
    work.addStep(300);
    // 8 evaluations left after step 0 (0, 200, ..., 1200 and the last step), 10000/128 batches each
    // at a third of a step.
    const evaluation = ((10_000 / 128) * 300) / 3;
    expect(work.etaSec(0)).toBeCloseTo((1_234 * 300 + 8 * evaluation) / 1000, 9);
  });

  it('takes a cost as the mean of its last 20 runs (steps: 500), the warm-up run left out', () => {
    const plan: WorkPlan = { ...dlnPlan, probeEvery: { ics: 10 }, checkpointEvery: 0 };
    const work = new RemainingWork(plan);
    work.addStep(500);
    expect(work.etaSec(9_999)).toBeCloseTo(0.5, 9);
    for (let i = 0; i < 510; i++) work.addStep(i < 10 ? 100 : 1);
    work.addProbe('ics', 5000);
    expect(work.etaSec(9_990)).toBeCloseTo((10 * 1 + 1 * 5000) / 1000, 9);
    for (let i = 0; i < 25; i++) work.addProbe('ics', i < 5 ? 1000 : 10);
    expect(work.etaSec(9_990)).toBeCloseTo((10 * 1 + 1 * 10) / 1000, 9);
  });

  it('starts step times over after a pause', () => {
    const work = new RemainingWork(dlnPlan);
    work.addStep(3);
    work.resetStepTimes();
    expect(work.etaSec(10)).toBeNull();
  });
});
