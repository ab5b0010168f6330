import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  parseExperiment,
  parseOverride,
  type JsonObject,
} from '../../src/shared/configOverrides';
import { userErrorOf } from '../helpers/userError';

const valid: JsonObject = {
  model: { network: 'vgg-tiny' },
  data: { dataset: 'cifar10' },
  optimizer: { lr: 0.1 },
  schedule: { steps: 10 },
};

describe('parseOverride', () => {
  it('splits the key path at dots', () => {
    expect(parseOverride('optimizer.lr=0.05')).toEqual({ path: ['optimizer', 'lr'], value: 0.05 });
    expect(parseOverride('model.noisy.sigmaHigh=2')).toEqual({
      path: ['model', 'noisy', 'sigmaHigh'],
      value: 2,
    });
  });

  it('reads the value as JSON when it parses: numbers, booleans, arrays, null, quoted strings', () => {
    expect(parseOverride('seed=42').value).toBe(42);
    expect(parseOverride('optimizer.lr=1e-6').value).toBe(1e-6);
    expect(parseOverride('data.standardize=false').value).toBe(false);
    expect(parseOverride('model.hidden=[256,128]').value).toEqual([256, 128]);
    expect(parseOverride('x=null').value).toBeNull();
    expect(parseOverride('name="42"').value).toBe('42');
    expect(parseOverride('data.augment={"flip":true}').value).toEqual({ flip: true });
  });

  it('takes a value that is not JSON as a plain string, so names need no quotes', () => {
    expect(parseOverride('model.normalization=batch').value).toBe('batch');
    expect(parseOverride('model.normalization=noisy-batch').value).toBe('noisy-batch');
    expect(parseOverride('data.dir=/data/cifar-10-batches-bin').value).toBe('/data/cifar-10-batches-bin');
    expect(parseOverride('name=').value).toBe('');
  });

  it('splits at the first =, keeping later ones in the value, and trims around both sides', () => {
    expect(parseOverride('name=a=b')).toEqual({ path: ['name'], value: 'a=b' });
    expect(parseOverride(' optimizer.lr = 0.5 ')).toEqual({ path: ['optimizer', 'lr'], value: 0.5 });
  });

  it('refuses a key without =, saying the expected form', () => {
    const e = userErrorOf(() => parseOverride('optimizer.lr'));
    expect(e.code).toBe('usage');
    expect(e.message).toContain('key=value');
    expect(e.message).toContain('"optimizer.lr"');
  });

  it('refuses an empty key and an empty key part', () => {
    expect(userErrorOf(() => parseOverride('=0.1')).code).toBe('usage');
    const e = userErrorOf(() => parseOverride('optimizer..lr=0.1'));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/"optimizer\.\.lr" has an empty part/);
    expect(userErrorOf(() => parseOverride('.lr=1')).code).toBe('usage');
  });
});

describe('applyOverrides', () => {
  it('sets nested values, creating missing sections, without touching the base', () => {
    const base: JsonObject = structuredClone(valid);
    const out = applyOverrides(base, ['optimizer.lr=0.05', 'model.noisy.sigmaLow=0.5', 'backend=wasm']);
    expect(out).toEqual({
      ...valid,
      backend: 'wasm',
      model: { network: 'vgg-tiny', noisy: { sigmaLow: 0.5 } },
      optimizer: { lr: 0.05 },
    });
    expect(base).toEqual(valid);
  });

  it('applies overrides in order, the last one winning', () => {
    const out = applyOverrides(valid, ['optimizer.lr=0.1', 'optimizer.lr=0.2']);
    expect((out['optimizer'] as JsonObject)['lr']).toBe(0.2);
  });

  it('replaces a whole section by a value given for the section itself', () => {
    const out = applyOverrides(valid, ['optimizer={"lr":3,"name":"adam"}']);
    expect(out['optimizer']).toEqual({ lr: 3, name: 'adam' });
  });

  it('refuses to descend into a value that is not a section (number, string, array, null)', () => {
    for (const [base, text, key] of [
      [valid, 'optimizer.lr.x=1', 'lr'],
      [valid, 'model.network.depth=3', 'network'],
      [{ model: { hidden: [1, 2] } }, 'model.hidden.0=5', 'hidden'],
      [{ model: null }, 'model.network=mlp', 'model'],
    ] as const) {
      const e = userErrorOf(() => applyOverrides(base as JsonObject, [text]));
      expect(e.code).toBe('usage');
      expect(e.message).toBe(`--set ${text}: "${key}" is not a section of the config`);
    }
  });

  it('passes on the errors of a malformed override', () => {
    expect(userErrorOf(() => applyOverrides(valid, ['optimizer.lr'])).code).toBe('usage');
  });
});

describe('parseExperiment', () => {
  it('fills the defaults of a minimal config', () => {
    const c = parseExperiment(valid, 'test');
    expect(c.backend).toBe('auto');
    expect(c.seed).toBe(0);
    expect(c.model.normalization).toBe('none');
    expect(c.schedule.batchSize).toBe(128);
    expect(c.optimizer.name).toBe('sgd');
  });

  it('lists every problem with its key path, after the origin', () => {
    const e = userErrorOf(() =>
      parseExperiment(
        {
          model: { network: 'vgg17' },
          data: { dataset: 'cifar10' },
          optimizer: { lr: -1 },
          schedule: { steps: 0 },
          bogus: 1,
        },
        'config file x.json',
      ),
    );
    expect(e.code).toBe('config');
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('config file x.json is not a valid experiment:');
    expect(lines.slice(1).map((l) => l.replace(/:.*$/, ''))).toEqual([
      '  - model.network',
      '  - optimizer.lr',
      '  - schedule.steps',
      '  - (top level)',
    ]);
    expect(e.message).toContain('vgg-tiny');
    expect(e.message).toContain('"bogus"');
  });

  it('names missing sections and a non-object input', () => {
    const missing = userErrorOf(() => parseExperiment({}, 'preset p'));
    for (const key of ['model', 'data', 'optimizer', 'schedule']) {
      expect(missing.message).toContain(`  - ${key}: `);
    }
    expect(userErrorOf(() => parseExperiment(5, 'x')).message).toContain('  - (top level): ');
  });

  it('reports the error of an override at its path', () => {
    const e = userErrorOf(() =>
      parseExperiment(applyOverrides(valid, ['optimizer.momentum=1']), 'preset p with your overrides'),
    );
    expect(e.message).toMatch(
      /^preset p with your overrides is not a valid experiment:\n {2}- optimizer\.momentum: /,
    );
  });
});
