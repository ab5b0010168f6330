import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../src/shared/config';
import { findPreset, PRESETS } from '../../src/shared/presets';

describe('PRESETS', () => {
  it.each(PRESETS.map((p) => [p.name, p] as const))('%s is a valid experiment', (_name, preset) => {
    const r = experimentSchema.safeParse(preset.config);
    expect(r.success ? [] : r.error.issues).toEqual([]);
    expect(preset.description.length).toBeGreaterThan(0);
  });

  it('has unique names, each found by findPreset', () => {
    const names = PRESETS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of PRESETS) expect(findPreset(p.name)).toBe(p);
    expect(findPreset('vgg17')).toBeUndefined();
  });

  it('names say the normalization: -bn presets use batch norm, -plain presets none', () => {
    for (const p of PRESETS.filter((q) => !q.name.includes('/'))) {
      const c = experimentSchema.parse(p.config);
      if (/-bn(-|$)/.test(p.name)) expect(c.model.normalization, p.name).toBe('batch');
      if (/-plain(-|$)/.test(p.name)) expect(c.model.normalization, p.name).toBe('none');
    }
  });

  it('each plain/bn pair differs only in the normalization', () => {
    for (const p of PRESETS.filter((q) => q.name.includes('-plain') && !q.name.includes('/'))) {
      const bn = findPreset(p.name.replace('-plain', '-bn'));
      expect(bn, p.name).toBeDefined();
      const a = experimentSchema.parse(p.config);
      const b = experimentSchema.parse(bn?.config);
      expect({ ...b, model: { ...b.model, normalization: 'none' } }).toEqual(a);
    }
  });

  it('the DLN protocol is full-batch gradient descent (batch = samples)', () => {
    for (const name of ['dln25-plain', 'dln25-bn']) {
      const c = experimentSchema.parse(findPreset(name)?.config);
      expect(c.schedule.batchSize).toBe(c.data.samples);
    }
  });
});
