import { describe, expect, it } from 'vitest';
import {
  landscapePoints,
  landscapeStep,
  landscapeSteps,
} from '../../../src/renderer/src/charts/landscapeBands';

const record = (step: number, losses: number[], gradChanges: number[], gradNorm = 2) => ({
  step,
  data: {
    lr: 0.1,
    multipliers: [0.5, 1, 2, 4],
    etas: [0.05, 0.1, 0.2, 0.4],
    losses,
    gradChanges,
    gradNorm,
    loss: 2.3,
  },
});

describe('landscape bands', () => {
  it('takes the min and max over eta of the loss and of the gradient change, and max beta', () => {
    const s = landscapeStep(record(100, [2.2, 2.1, 2.4, 3], [0.1, 0.3, 0.5, 2]));
    expect(s).toMatchObject({
      step: 100,
      loss: 2.3,
      lossMin: 2.1,
      lossMax: 3,
      gradChangeMin: 0.1,
      gradChangeMax: 2,
    });
    // beta = change / (eta ||g||): 1, 1.5, 1.25, 2.5
    expect(s?.betaEff).toBeCloseTo(2.5, 12);
  });

  it('leaves diverged etas out of the bands, as the probe does', () => {
    const s = landscapeStep(record(1, [2, NaN, Infinity, 5], [1, NaN, 3, Infinity]));
    expect(s).toMatchObject({ lossMin: 2, lossMax: 5, gradChangeMin: 1, gradChangeMax: 3 });
  });

  it('gives null bands when nothing is finite, and null for error records', () => {
    const s = landscapeStep(record(1, [NaN, NaN, NaN, NaN], [NaN, NaN, NaN, NaN]));
    expect(s).toMatchObject({ lossMin: null, lossMax: null, betaEff: null });
    expect(landscapeStep({ step: 3, data: { error: 'the loss is NaN' } })).toBeNull();
  });

  it('orders records by step, one per step, and turns a quantity into points with gaps', () => {
    const steps = landscapeSteps([
      record(200, [1, 1, 1, 1], [1, 1, 1, 1]),
      record(100, [NaN, NaN, NaN, NaN], [1, 1, 1, 1]),
    ]);
    expect(steps.map((s) => s.step)).toEqual([100, 200]);
    const pts = landscapePoints(steps, 'lossMin');
    expect(Number.isNaN(pts[0]?.value)).toBe(true);
    expect(pts[1]).toEqual({ step: 200, value: 1 });
  });
});
