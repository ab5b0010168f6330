/**
 * The experiment a request describes (experimentBuilder.ts): from a preset, an object or a file, with
 * overrides, the typed backend, and the CIFAR-10 folder resolved (request, config, setting, default)
 * and checked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/shared/api';
import { experimentRequestSchema, type ExperimentRequest } from '../../../src/shared/api';
import type { DatasetPlaces } from '../../../src/main/api/cifar10Location';
import { buildExperiment } from '../../../src/main/api/experimentBuilder';
import { writeCifar10Folder } from '../../helpers/cifar10Folders';
import { SHARED_CIFAR10 } from '../../helpers/repoPaths';
import { tempDirs } from '../../helpers/tempDirs';
import { userErrorOf } from '../../helpers/userError';

const dirs = tempDirs('experiment-builder');
afterAll(() => dirs.cleanup());

let tmp: string;
let settings: Settings;
let places: DatasetPlaces;
beforeEach(() => {
  tmp = dirs.make();
  settings = {};
  places = { settings: () => settings, dataDir: join(tmp, 'data') };
});

function build(req: ExperimentRequest) {
  return buildExperiment(experimentRequestSchema.parse(req), places);
}

function writeJson(name: string, value: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const dlnFile = {
  model: { network: 'dln25', normalization: 'batch' },
  data: { dataset: 'dln-synthetic' },
  optimizer: { lr: 1e-6 },
  schedule: { steps: 5 },
};

describe('where the experiment comes from', () => {
  it('a preset, named after it', () => {
    const { config, name } = build({ preset: 'dln25-bn' });
    expect(config.model).toMatchObject({ network: 'dln25', normalization: 'batch' });
    expect(config.schedule.steps).toBe(10_000);
    expect(name).toBe('dln25-bn');
    expect(build({ preset: 'dln25-bn', name: 'mine' }).name).toBe('mine');
  });

  it('an experiment object or a config file, with the defaults filled in', () => {
    expect(build({ config: { ...dlnFile, name: 'obj' } })).toMatchObject({
      name: 'obj',
      config: { backend: 'auto' },
    });
    const c = build({ configFile: writeJson('exp.json', dlnFile) }).config;
    expect(c.schedule.steps).toBe(5);
    expect(c.data.samples).toBe(1000);
  });

  it('an unknown preset lists the presets', () => {
    const e = userErrorOf(() => build({ preset: 'vgg17' }));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/^unknown preset "vgg17"; the presets are: .*dln25-bn.*vgg-tiny-bn/);
  });

  it('a config file that is missing, not JSON, or not an object is a config error naming the file', () => {
    const missing = join(tmp, 'nope.json');
    expect(userErrorOf(() => build({ configFile: missing })).message).toBe(
      `cannot read the config file ${missing}: ENOENT`,
    );
    const notJson = writeJson('bad.json', '{"model": ');
    expect(userErrorOf(() => build({ configFile: notJson })).message).toContain(
      `the config file ${notJson} is not valid JSON`,
    );
    for (const value of ['[1, 2]', '42', 'null', '"vgg"']) {
      const path = writeJson('value.json', value);
      expect(userErrorOf(() => build({ configFile: path })).message, value).toBe(
        `the config file ${path} must hold a JSON object (an experiment)`,
      );
    }
  });

  it('an invalid experiment in a file names the file and the key', () => {
    const path = writeJson('exp.json', { ...dlnFile, optimizer: { lr: 'fast' } });
    const e = userErrorOf(() => build({ configFile: path }));
    expect(e.code).toBe('config');
    expect(e.message).toMatch(
      new RegExp(`^config file ${path} is not a valid experiment:\\n {2}- optimizer\\.lr: `),
    );
  });
});

describe('overrides and the backend', () => {
  it('overrides apply in order after the preset, which stays as it was', () => {
    const c = build({
      preset: 'dln25-plain',
      overrides: ['optimizer.lr=0.5', 'model.normalization=l2', 'optimizer.lr=0.25', 'data.samples=64'],
    }).config;
    expect(c.optimizer.lr).toBe(0.25);
    expect(c.model.normalization).toBe('l2');
    expect(c.data.samples).toBe(64);
    expect(build({ preset: 'dln25-plain' }).config.optimizer.lr).toBe(1e-6);
  });

  it('the typed backend wins over an override; else an override, else the defaultBackend setting', () => {
    settings = { defaultBackend: 'webgpu' };
    expect(build({ preset: 'dln25-plain', backend: 'wasm', overrides: ['backend=cpu'] }).config.backend).toBe(
      'wasm',
    );
    expect(build({ preset: 'dln25-plain', overrides: ['backend=cpu'] }).config.backend).toBe('cpu');
    expect(build({ preset: 'dln25-plain' }).config.backend).toBe('webgpu');
  });

  it('a bad override says it came from the overrides, at its key', () => {
    const e = userErrorOf(() => build({ preset: 'dln25-plain', overrides: ['backend=gpu'] }));
    expect(e.code).toBe('config');
    expect(e.message).toMatch(
      /^preset dln25-plain with your overrides is not a valid experiment:\n {2}- backend: /,
    );
    expect(userErrorOf(() => build({ preset: 'dln25-plain', overrides: ['optimizer.lr'] })).code).toBe(
      'usage',
    );
  });
});

describe('the CIFAR-10 folder', () => {
  const preset = 'vgg-tiny-bn';
  const small = ['data.trainLimit=6', 'data.testLimit=4'];

  it('the request (--data) beats the setting, which beats the default location', () => {
    const explicit = writeCifar10Folder(join(tmp, 'explicit'));
    const setting = writeCifar10Folder(join(tmp, 'setting'));
    const byDefault = writeCifar10Folder(join(tmp, 'data', 'cifar-10-batches-bin'));
    settings = { cifar10Dir: setting };
    expect(build({ preset, overrides: small, dataDir: explicit }).config.data.dir).toBe(explicit);
    expect(build({ preset, overrides: small }).config.data.dir).toBe(setting);
    settings = {};
    expect(build({ preset, overrides: small }).config.data.dir).toBe(byDefault);
  });

  it("data.dir in the config counts as the request's own; --data beats it; a relative one is resolved", () => {
    const fromConfig = writeCifar10Folder(join(tmp, 'from-config'));
    const fromFlag = writeCifar10Folder(join(tmp, 'from-flag'));
    expect(build({ preset, overrides: [...small, `data.dir=${fromConfig}`] }).config.data.dir).toBe(
      fromConfig,
    );
    expect(
      build({ preset, overrides: [...small, `data.dir=${fromConfig}`], dataDir: fromFlag }).config.data.dir,
    ).toBe(fromFlag);
    const rel = relative(process.cwd(), fromFlag);
    expect(isAbsolute(rel)).toBe(false);
    expect(build({ preset, overrides: small, dataDir: rel }).config.data.dir).toBe(fromFlag);
  });

  it('the real CIFAR-10 folder is accepted as is', () => {
    expect(build({ preset, dataDir: SHARED_CIFAR10 }).config.data.dir).toBe(SHARED_CIFAR10);
  });

  it('a missing folder is data-missing, saying where it looked, why, and what to do', () => {
    mkdirSync(join(tmp, 'file-parent'));
    const cases: [ExperimentRequest, string, string][] = [
      [{ preset }, join(tmp, 'data', 'cifar-10-batches-bin'), 'the default location'],
      [{ preset, dataDir: join(tmp, 'absent') }, join(tmp, 'absent'), '--data / data.dir'],
      [{ preset, dataDir: writeJson('a-file', 'x') }, join(tmp, 'a-file'), '--data / data.dir'],
    ];
    for (const [req, where, why] of cases) {
      const e = userErrorOf(() => build(req));
      expect(e.code).toBe('data-missing');
      expect(e.message).toContain(`CIFAR-10 was not found at ${where} (${why})`);
      expect(e.message).toContain('`normlab data get cifar10`');
      expect(e.message).toContain('`normlab settings set cifar10Dir DIR`');
    }
    settings = { cifar10Dir: join(tmp, 'moved') };
    expect(userErrorOf(() => build({ preset })).message).toContain(
      `CIFAR-10 was not found at ${join(tmp, 'moved')} (the cifar10Dir setting)`,
    );
  });

  it('a folder without the files the config reads is refused', () => {
    const dir = writeCifar10Folder(join(tmp, 'one-batch'));
    const e = userErrorOf(() =>
      build({ preset, dataDir: dir, overrides: ['data.trainFiles=["data_batch_2.bin"]'] }),
    );
    expect(e.code).toBe('data-missing');
    expect(e.message).toMatch(/data_batch_2\.bin does not exist/);
  });

  it('a DLN experiment needs no CIFAR-10 folder', () => {
    expect(build({ preset: 'dln25-bn' }).config.data.dir).toBe('');
  });
});
