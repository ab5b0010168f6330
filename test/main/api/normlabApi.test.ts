import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NormLabApi, type RunRequest } from '../../../src/main/api/normlabApi';
import { UserError } from '../../../src/shared/errors';

let tmp: string;
let home: string;
let api: NormLabApi;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'normlab-api-'));
  home = join(tmp, 'home');
  api = new NormLabApi({ env: { NORMLAB_HOME: home }, db: join(tmp, 'runs.sqlite') });
});

afterEach(() => {
  api.close();
  rmSync(tmp, { recursive: true, force: true });
});

function buildError(req: RunRequest): UserError {
  try {
    api.buildConfig(req);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected buildConfig to throw a UserError');
}

function writeJson(name: string, value: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

function folder(...parts: string[]): string {
  const path = join(tmp, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
}

const dlnFile = {
  model: { network: 'dln25', normalization: 'batch' },
  data: { dataset: 'dln-synthetic' },
  optimizer: { lr: 1e-6 },
  schedule: { steps: 5 },
};

describe('NormLabApi locations', () => {
  it('uses NORMLAB_HOME from the env option and the database given', () => {
    expect(api.locations.settingsFile).toBe(join(home, 'config', 'settings.json'));
    expect(api.dbPath).toBe(join(tmp, 'runs.sqlite'));
  });

  it('without --db: the db setting, else <data dir>/normlab.sqlite', () => {
    const plain = new NormLabApi({ env: { NORMLAB_HOME: home } });
    expect(plain.dbPath).toBe(join(home, 'data', 'normlab.sqlite'));
    plain.setSetting('db', join(tmp, 'elsewhere.sqlite'));
    plain.close();
    const fromSetting = new NormLabApi({ env: { NORMLAB_HOME: home } });
    expect(fromSetting.dbPath).toBe(join(tmp, 'elsewhere.sqlite'));
    fromSetting.close();
  });
});

describe('buildConfig: where the experiment comes from', () => {
  it('a preset', () => {
    const c = api.buildConfig({ preset: 'dln25-bn' });
    expect(c.model).toMatchObject({ network: 'dln25', normalization: 'batch' });
    expect(c.data.dataset).toBe('dln-synthetic');
    expect(c.schedule.steps).toBe(10_000);
  });

  it('a config file, with the defaults filled in', () => {
    const c = api.buildConfig({ configFile: writeJson('exp.json', dlnFile) });
    expect(c.schedule.steps).toBe(5);
    expect(c.backend).toBe('auto');
    expect(c.data.samples).toBe(1000);
  });

  it('both or neither is a usage error', () => {
    const path = writeJson('exp.json', dlnFile);
    for (const req of [{}, { preset: 'dln25-bn', configFile: path }, { preset: '', configFile: '' }]) {
      const e = buildError(req);
      expect(e.code).toBe('usage');
      expect(e.message).toContain('give exactly one of --preset NAME or --config FILE');
    }
  });

  it('an unknown preset lists the presets', () => {
    const e = buildError({ preset: 'vgg17' });
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/^unknown preset "vgg17"; the presets are: .*dln25-bn.*vgg-tiny-bn/);
  });

  it('a config file that is missing, not JSON, or not an object is a config error naming the file', () => {
    const missing = join(tmp, 'nope.json');
    expect(buildError({ configFile: missing }).message).toBe(
      `cannot read the config file ${missing}: ENOENT`,
    );
    const notJson = writeJson('bad.json', '{"model": ');
    const e = buildError({ configFile: notJson });
    expect(e.code).toBe('config');
    expect(e.message).toContain(`the config file ${notJson} is not valid JSON`);
    for (const value of ['[1, 2]', '42', 'null', '"vgg"']) {
      const path = writeJson('value.json', value);
      expect(buildError({ configFile: path }).message, value).toBe(
        `the config file ${path} must hold a JSON object (an experiment)`,
      );
    }
    expect(buildError({ configFile: folder('a-folder') }).code).toBe('config');
  });

  it('an invalid experiment in a file names the file and the key', () => {
    const path = writeJson('exp.json', { ...dlnFile, optimizer: { lr: 'fast' } });
    const e = buildError({ configFile: path });
    expect(e.code).toBe('config');
    expect(e.message).toMatch(
      new RegExp(`^config file ${path} is not a valid experiment:\\n {2}- optimizer\\.lr: `),
    );
  });
});

describe('buildConfig: overrides', () => {
  it('--set values apply in order after the preset', () => {
    const c = api.buildConfig({
      preset: 'dln25-plain',
      set: ['optimizer.lr=0.5', 'model.normalization=l2', 'optimizer.lr=0.25', 'data.samples=64'],
    });
    expect(c.optimizer.lr).toBe(0.25);
    expect(c.model.normalization).toBe('l2');
    expect(c.data.samples).toBe(64);
  });

  it('--backend sets backend, after any --set', () => {
    expect(api.buildConfig({ preset: 'dln25-plain', backend: 'wasm' }).backend).toBe('wasm');
    expect(api.buildConfig({ preset: 'dln25-plain', set: ['backend=cpu'], backend: 'wasm' }).backend).toBe(
      'wasm',
    );
  });

  it('a bad override says it came from the overrides, at its key', () => {
    const e = buildError({ preset: 'dln25-plain', backend: 'gpu' });
    expect(e.code).toBe('config');
    expect(e.message).toMatch(
      /^preset dln25-plain with your overrides is not a valid experiment:\n {2}- backend: /,
    );
    expect(buildError({ preset: 'dln25-plain', set: ['optimizer.lr'] }).code).toBe('usage');
  });

  it('does not modify the preset itself', () => {
    api.buildConfig({ preset: 'dln25-plain', set: ['optimizer.lr=0.5'] });
    expect(api.buildConfig({ preset: 'dln25-plain' }).optimizer.lr).toBe(1e-6);
  });
});

describe('buildConfig: the CIFAR-10 folder', () => {
  const preset = 'vgg-tiny-bn';

  it('explicit (--data) beats the setting, which beats the default location', () => {
    const explicit = folder('explicit');
    const setting = folder('setting');
    const byDefault = join(home, 'data', 'cifar-10-batches-bin');
    mkdirSync(byDefault, { recursive: true });
    api.setSetting('cifar10Dir', setting);

    expect(api.buildConfig({ preset, dataDir: explicit }).data.dir).toBe(explicit);
    expect(api.buildConfig({ preset }).data.dir).toBe(setting);
    api.setSetting('cifar10Dir', undefined);
    expect(api.buildConfig({ preset }).data.dir).toBe(byDefault);
  });

  it('data.dir in the config counts as explicit; --data beats it', () => {
    const fromConfig = folder('from-config');
    const fromFlag = folder('from-flag');
    api.setSetting('cifar10Dir', folder('setting'));
    expect(api.buildConfig({ preset, set: [`data.dir=${fromConfig}`] }).data.dir).toBe(fromConfig);
    expect(api.buildConfig({ preset, set: [`data.dir=${fromConfig}`], dataDir: fromFlag }).data.dir).toBe(
      fromFlag,
    );
  });

  it('a relative --data is resolved against the working directory', () => {
    const dir = folder('relative');
    const rel = relative(process.cwd(), dir);
    expect(isAbsolute(rel)).toBe(false);
    expect(api.buildConfig({ preset, dataDir: rel }).data.dir).toBe(dir);
  });

  it('the real CIFAR-10 folder is accepted as is', () => {
    const real = resolve(import.meta.dirname, '../../..', '../shared/data/cifar10');
    expect(api.buildConfig({ preset, dataDir: real }).data.dir).toBe(real);
  });

  it('a missing folder is data-missing, saying where it looked, why, and `normlab data get cifar10`', () => {
    const cases: [RunRequest, string, string][] = [
      [{ preset }, join(home, 'data', 'cifar-10-batches-bin'), 'the default location'],
      [{ preset, dataDir: join(tmp, 'absent') }, join(tmp, 'absent'), '--data / data.dir'],
      [{ preset, dataDir: writeJson('a-file', 'x') }, join(tmp, 'a-file'), '--data / data.dir'],
    ];
    for (const [req, where, why] of cases) {
      const e = buildError(req);
      expect(e.code).toBe('data-missing');
      expect(e.message).toContain(`CIFAR-10 was not found at ${where} (${why})`);
      expect(e.message).toContain('`normlab data get cifar10`');
      expect(e.message).toContain('`normlab settings set cifar10Dir DIR`');
    }
    api.setSetting('cifar10Dir', join(tmp, 'moved'));
    expect(buildError({ preset }).message).toContain(
      `CIFAR-10 was not found at ${join(tmp, 'moved')} (the cifar10Dir setting)`,
    );
  });

  it('a DLN experiment needs no CIFAR-10 folder', () => {
    expect(api.buildConfig({ preset: 'dln25-bn' }).data.dir).toBe('');
  });
});
