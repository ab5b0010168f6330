import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../src/shared/config';
import { PROBE_NAMES, probesSchema } from '../../src/shared/probes';

const base = {
  model: { network: 'vgg16', widthMultiplier: 0.25 },
  data: { dataset: 'cifar10' },
  optimizer: { lr: 0.1 },
  schedule: { steps: 10 },
} as const;

describe('probesSchema', () => {
  it('turns every probe off by default except the norms, which follow the train metrics', () => {
    const p = probesSchema.parse({});
    expect(PROBE_NAMES).toEqual(['ics', 'landscape', 'activations', 'norms', 'bnGradients', 'hessian']);
    for (const name of PROBE_NAMES) {
      expect(p[name].every, name).toBe(name === 'norms' ? 'train' : 0);
    }
    expect(p.landscape.etaMultipliers).toEqual([]);
    expect(p.activations.bins).toBe(40);
    expect(p.hessian).toEqual({ every: 0, maxIterations: 20, tolerance: 1e-3, traceSamples: 10 });
    expect(experimentSchema.parse(base).probes).toEqual(p);
  });

  it('rejects a layer the network does not have, naming the path and the range', () => {
    const r = experimentSchema.safeParse({ ...base, probes: { ics: { every: 100, layers: [5, 14] } } });
    expect(r.success).toBe(false);
    const issue = r.success ? undefined : r.error.issues[0];
    expect(issue?.path).toEqual(['probes', 'ics', 'layers', 1]);
    expect(issue?.message).toBe('vgg16 has layers 1 to 13; layer 14 does not exist');
    const mlp = experimentSchema.safeParse({
      ...base,
      model: { network: 'mlp', hidden: [8, 8] },
      probes: { activations: { every: 1, layers: [3] } },
    });
    expect(mlp.success ? [] : mlp.error.issues.map((i) => i.message)).toEqual([
      'mlp has layers 1 to 2; layer 3 does not exist',
    ]);
  });

  it('rejects unknown probes, unknown settings, negative cadences and a one-bin histogram', () => {
    for (const probes of [
      { curvature: { every: 1 } },
      { ics: { every: 1, layer: [2] } },
      { landscape: { every: -1 } },
      { activations: { every: 1, bins: 1 } },
      { landscape: { every: 1, etaMultipliers: [0] } },
      { norms: { every: 'test' } },
    ]) {
      expect(experimentSchema.safeParse({ ...base, probes }).success, JSON.stringify(probes)).toBe(false);
    }
  });
});
