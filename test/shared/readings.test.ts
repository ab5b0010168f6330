import { describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../../src/shared/config';
import { flattenConfig } from '../../src/shared/configKeys';
import { parseOverride, type JsonObject } from '../../src/shared/configOverrides';
import { PRESETS } from '../../src/shared/presets';
import { applyReading, findReading, READING_NAMES, READINGS } from '../../src/shared/readings';
import storedBefore from './fixtures/storedConfigsBeforeReadings.json';
import { userErrorOf } from '../helpers/userError';

const parse = (c: unknown): ExperimentConfig => experimentSchema.parse(c);

describe('readings', () => {
  it('have unique names; spec applies nothing and every other reading at least one override', () => {
    expect(new Set(READING_NAMES).size).toBe(READINGS.length);
    expect(findReading('spec').overrides).toEqual([]);
    for (const r of READINGS.filter((x) => x.name !== 'spec')) {
      expect(r.overrides.length).toBeGreaterThan(0);
      expect(r.description.length).toBeGreaterThan(20);
    }
  });

  it('findReading names the readings when the name is unknown', () => {
    expect(findReading('lp-summed').overrides).toEqual(['model.lp.averaged=false']);
    const e = userErrorOf(() => findReading('paper'));
    expect(e.code).toBe('usage');
    expect(e.message).toBe(`unknown reading "paper"; pick one of ${READING_NAMES.join(', ')}`);
    expect(e.message).toContain('spec, dln-mean-loss');
  });

  it('every preset parses under every reading; the readings that concern it change exactly their keys', () => {
    const concerned = new Map<string, number>();
    for (const preset of PRESETS) {
      const base = parse(preset.config);
      const flatBase = flattenConfig(base);
      for (const reading of READINGS) {
        const read = parse(applyReading(preset.config as JsonObject, reading));
        const flat = flattenConfig(read);
        const changed = Object.keys(flat).filter((k) => flat[k] !== flatBase[k]);
        const keys = reading.overrides.map((o) => parseOverride(o).path.join('.'));
        // The override keys hold the override values, and nothing else moved.
        for (const o of reading.overrides) {
          const { path, value } = parseOverride(o);
          expect(flat[path.join('.')]).toEqual(value);
        }
        expect(changed.every((k) => keys.includes(k))).toBe(true);
        if (reading.concerns(base)) {
          expect(changed.sort()).toEqual([...keys].sort());
          concerned.set(reading.name, (concerned.get(reading.name) ?? 0) + 1);
        }
      }
    }
    // Each reading concerns some preset (the spec reading all of them).
    expect(concerned.get('spec')).toBe(PRESETS.length);
    for (const name of READING_NAMES) expect(concerned.get(name) ?? 0).toBeGreaterThan(0);
  });

  it('concerns follows the configs the options act on', () => {
    const dlnPlain = parse(PRESETS.find((p) => p.name === 'dln25-plain')?.config);
    const vggBn = parse(PRESETS.find((p) => p.name === 'vgg16-bn')?.config);
    expect(findReading('dln-paper-scale').concerns(dlnPlain)).toBe(true);
    expect(findReading('dln-paper-scale').concerns(vggBn)).toBe(false);
    expect(findReading('no-norm-bias').concerns(vggBn)).toBe(true);
    expect(
      findReading('no-norm-bias').concerns({
        ...dlnPlain,
        model: { ...dlnPlain.model, normalization: 'batch' },
      }),
    ).toBe(false);
    const linf = { ...vggBn, model: { ...vggBn.model, normalization: 'linf' as const } };
    expect(findReading('lp-uncentred').concerns(linf)).toBe(true);
    expect(findReading('lp-summed').concerns(linf)).toBe(false);
  });
});

describe('configs stored before the readings existed', () => {
  // Full configs as the schema before model.lp, model.biasBeforeNorm and data.inputStd/targetStd/
  // lossReduction filled them (four presets, parsed by that schema and saved as JSON).
  const stored = storedBefore as Record<string, Record<string, unknown>>;

  it('parse unchanged, with the new options at the spec reading', () => {
    expect(Object.keys(stored).length).toBe(4);
    for (const config of Object.values(stored)) {
      const parsed = parse(config);
      expect(parsed.model.lp).toEqual({ centered: true, averaged: true });
      expect(parsed.model.biasBeforeNorm).toBe(true);
      expect(parsed.data).toMatchObject({ inputStd: 1, targetStd: 1, lossReduction: 'sum' });
      // None of the four is noisy-batch: store migration 6 leaves them as stored, and the noise
      // generator (which they do not use) reads as the default of new runs.
      expect(parsed.model.noisy.generator).toBe('philox');
      const {
        lp: _lp,
        biasBeforeNorm: _bias,
        noisy: { generator: _g, ...noisy },
        ...model
      } = parsed.model;
      const { inputStd: _x, targetStd: _a, lossReduction: _r, ...data } = parsed.data;
      expect({ ...parsed, model: { ...model, noisy }, data }).toEqual(config);
    }
  });
});
