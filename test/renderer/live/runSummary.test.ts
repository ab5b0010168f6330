import { describe, expect, it } from 'vitest';
import { parseConfig, probePlan } from '../../../src/renderer/src/components/live/runSummary';

const base = {
  model: { network: 'vgg-tiny', normalization: 'batch' },
  data: { dataset: 'cifar10' },
  optimizer: { lr: 0.1 },
  schedule: { steps: 100 },
};

describe('probePlan', () => {
  it('shows the panels of the probes a config turns on, with their layers', () => {
    const config = parseConfig({
      ...base,
      probes: { ics: { every: 10, layers: [2] }, landscape: { every: 10 }, bnGradients: { every: 5 } },
    });
    expect(config).not.toBeNull();
    const plan = probePlan(config);
    expect([...plan.on].sort()).toEqual(['bnGradients', 'ics', 'landscape', 'norms']);
    expect(plan.layers.ics).toEqual([2]);
    expect(plan.layers.bnGradients).toEqual([1, 2, 3]);
    expect(plan.batchNorm).toBe(true);
  });

  it('has no Theorem 4.1 panel without batch norm', () => {
    const config = parseConfig({
      ...base,
      model: { network: 'vgg-tiny' },
      probes: { bnGradients: { every: 5 } },
    });
    expect(probePlan(config).on.has('bnGradients')).toBe(false);
  });

  it('falls back on the series a run has when its config does not parse', () => {
    expect(parseConfig({ model: 'old' })).toBeNull();
    const plan = probePlan(null, [
      'train/loss',
      'probe/activations/layer3/mean',
      'probe/landscape/loss_min',
      'probe/bnGradients/layer1/factor',
    ]);
    expect([...plan.on].sort()).toEqual(['activations', 'bnGradients', 'landscape']);
  });
});
