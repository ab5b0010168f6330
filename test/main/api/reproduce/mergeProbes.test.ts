import { describe, expect, it } from 'vitest';
import { mergeKey, mergeProbes } from '../../../../src/main/api/reproduce/mergeProbes';
import { canonicalJson, runKey } from '../../../../src/main/api/reproduce/runKey';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';

function dln(probes: Record<string, unknown>, extra: Record<string, unknown> = {}): ExperimentConfig {
  return experimentSchema.parse({
    model: { network: 'dln25', normalization: 'batch' },
    data: { dataset: 'dln-synthetic' },
    optimizer: { lr: 1e-6 },
    schedule: { steps: 100, batchSize: 1000 },
    probes,
    ...extra,
  });
}

describe('mergeProbes', () => {
  it('takes the gcd of the cadences and the union of the layers', () => {
    const a = dln({ activations: { every: 50, layers: [11, 1] }, landscape: { every: 20 } });
    const b = dln({ activations: { every: 20, layers: [24, 11] } });
    expect(mergeKey(a)).toBe(mergeKey(b));
    const m = mergeProbes([a, b]);
    expect(m.probes.activations).toEqual({ every: 10, layers: [1, 11, 24], bins: 40 });
    expect(m.probes.landscape.every).toBe(20);
    expect(m.probes.ics.every).toBe(0);
  });

  it('an empty layer selection (every layer) absorbs the others', () => {
    const m = mergeProbes([dln({ ics: { every: 10, layers: [9] } }), dln({ ics: { every: 10 } })]);
    expect(m.probes.ics.layers).toEqual([]);
  });

  it('does not merge configs that differ beyond probe cadences and layers', () => {
    const base = dln({ activations: { every: 10 } });
    expect(mergeKey(dln({ activations: { every: 10, bins: 20 } }))).not.toBe(mergeKey(base));
    expect(mergeKey(dln({}, { seed: 1 }))).not.toBe(mergeKey(base));
    expect(mergeKey(dln({}, { name: 'x' }))).toBe(mergeKey(base));
  });
});

describe('runKey', () => {
  it('ignores key order, name, data folder and backend, and nothing else', () => {
    const c = dln({});
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(runKey({ ...c, name: 'y', data: { ...c.data, dir: '/z' } })).toBe(runKey(c));
    expect(runKey({ ...c, backend: 'wasm' })).toBe(runKey({ ...c, backend: 'webgpu' }));
    expect(runKey({ ...c, seed: c.seed + 1 })).not.toBe(runKey(c));
    expect(runKey({ ...c, optimizer: { ...c.optimizer, lr: 2e-6 } })).not.toBe(runKey(c));
  });
});
