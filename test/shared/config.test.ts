import { describe, expect, it } from 'vitest';
import {
  experimentSchema,
  modelSchema,
  noisyBatchNormSchema,
  type ExperimentInput,
} from '../../src/shared/config';

const vgg: ExperimentInput = {
  model: { network: 'vgg-tiny' },
  data: { dataset: 'cifar10' },
  optimizer: { lr: 0.1 },
  schedule: { steps: 10 },
};

const dln: ExperimentInput = {
  model: { network: 'dln25' },
  data: { dataset: 'dln-synthetic' },
  optimizer: { lr: 1e-6 },
  schedule: { steps: 10 },
};

/** The issues of a config as "path: message" (empty when it parses). */
function issues(input: unknown): string[] {
  const r = experimentSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('experimentSchema refinements', () => {
  it('accepts the valid pairings', () => {
    expect(issues(vgg)).toEqual([]);
    expect(issues(dln)).toEqual([]);
    expect(issues({ ...dln, model: { network: 'mlp' } })).toEqual([]);
    expect(issues({ ...vgg, model: { network: 'mlp' } })).toEqual([]);
  });

  it('dln25 needs the dln-synthetic task', () => {
    expect(issues({ ...dln, data: { dataset: 'cifar10' } })).toEqual([
      'data.dataset: the dln25 network trains on the dln-synthetic task; set data.dataset=dln-synthetic',
    ]);
  });

  it('every VGG network needs cifar10', () => {
    for (const network of ['vgg16', 'vgg-mini', 'vgg-tiny'] as const) {
      expect(issues({ ...vgg, model: { network }, data: { dataset: 'dln-synthetic' } })).toEqual([
        'model.network: VGG networks need images; set data.dataset=cifar10 or choose dln25/mlp',
      ]);
    }
  });

  it('dln25 has 10x10 layers, so data.dim must be 10', () => {
    expect(issues({ ...dln, data: { dataset: 'dln-synthetic', dim: 12 } })).toEqual([
      'data.dim: dln25 has 10x10 layers; data.dim must be 10',
    ]);
    expect(
      issues({ ...dln, model: { network: 'mlp' }, data: { dataset: 'dln-synthetic', dim: 12 } }),
    ).toEqual([]);
  });

  it('Algorithm 1 noise: sigmaLow <= sigmaHigh (equal allowed)', () => {
    expect(noisyBatchNormSchema.safeParse({ sigmaLow: 1, sigmaHigh: 1 }).success).toBe(true);
    expect(
      issues({ ...vgg, model: { network: 'vgg-tiny', noisy: { sigmaLow: 2, sigmaHigh: 1.5 } } }),
    ).toEqual(['model.noisy: sigmaLow must not exceed sigmaHigh']);
    // The default high bound (1.25) applies when only the low one is given.
    expect(noisyBatchNormSchema.safeParse({ sigmaLow: 1.3 }).success).toBe(false);
  });

  it('fills the paper defaults (Algorithm 1, PAPER.md)', () => {
    const m = modelSchema.parse({ network: 'vgg16' });
    expect(m.noisy).toEqual({
      meanRange: 0.5,
      sigmaLow: 1,
      sigmaHigh: 1.25,
      meanJitter: 0.1,
      sigmaStd: 0.1,
      generator: 'philox',
    });
    expect(m.widthMultiplier).toBe(1);
    expect(m.normMomentum).toBe(0.1);
    expect(m.eps).toBe(1e-5);
  });

  it('is strict: unknown keys are refused at every level', () => {
    expect(issues({ ...vgg, model: { network: 'vgg-tiny', depth: 3 } })).toHaveLength(1);
    expect(issues({ ...vgg, optimizer: { lr: 0.1, decay: 1 } })).toHaveLength(1);
  });

  it('bounds: seed below 2^31, momentum below 1, positive learning rate', () => {
    expect(issues({ ...vgg, seed: 2 ** 31 })[0]).toMatch(/^seed: /);
    expect(issues({ ...vgg, optimizer: { lr: 0.1, momentum: 1 } })[0]).toMatch(/^optimizer\.momentum: /);
    expect(issues({ ...vgg, optimizer: { lr: 0 } })[0]).toMatch(/^optimizer\.lr: /);
  });
});
