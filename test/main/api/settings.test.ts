import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSettings, SETTING_KEYS, setSetting, type SettingKey } from '../../../src/main/api/settings';
import { userErrorOf } from '../../helpers/userError';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'normlab-settings-'));
  file = join(dir, 'config', 'settings.json');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('a missing file means no settings', () => {
    expect(readSettings(file)).toEqual({});
  });

  it('set and unset round trip through the file, creating its folder', () => {
    expect(setSetting(file, 'cifar10Dir', '/data/cifar-10-batches-bin')).toEqual({
      cifar10Dir: '/data/cifar-10-batches-bin',
    });
    setSetting(file, 'db', '/data/runs.sqlite');
    expect(readSettings(file)).toEqual({ cifar10Dir: '/data/cifar-10-batches-bin', db: '/data/runs.sqlite' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(readSettings(file));

    expect(setSetting(file, 'cifar10Dir', undefined)).toEqual({ db: '/data/runs.sqlite' });
    expect(setSetting(file, 'db', '')).toEqual({});
    expect(readSettings(file)).toEqual({});
    // Written through a temporary file renamed into place: nothing else is left in the folder.
    expect(readdirSync(join(dir, 'config'))).toEqual(['settings.json']);
  });

  it('setting a key again replaces its value', () => {
    setSetting(file, 'db', '/a.sqlite');
    setSetting(file, 'db', '/b.sqlite');
    expect(readSettings(file)).toEqual({ db: '/b.sqlite' });
  });

  it('stores relative paths absolute, so they mean the same from any working directory', () => {
    const s = setSetting(file, 'cifar10Dir', 'data/cifar');
    expect(s.cifar10Dir).toBe(resolve(process.cwd(), 'data/cifar'));
    expect(readSettings(file).cifar10Dir).toBe(resolve(process.cwd(), 'data/cifar'));
  });

  it('an unknown key is a usage error listing the settings, and writes nothing', () => {
    // A key from an untyped caller (the contract's schema refuses it before it gets here).
    const e = userErrorOf(() => setSetting(file, 'cifarDir' as SettingKey, '/x'));
    expect(e.code).toBe('usage');
    expect(e.message).toBe(`unknown setting "cifarDir"; settings are: ${SETTING_KEYS.join(', ')}`);
    expect(SETTING_KEYS).toEqual(['cifar10Dir', 'db', 'defaultBackend', 'poolSize', 'theme']);
    expect(existsSync(file)).toBe(false);
  });

  it('keeps typed values: a backend, a pool size, a theme; a wrong one writes nothing', () => {
    setSetting(file, 'defaultBackend', 'wasm');
    setSetting(file, 'poolSize', 2);
    expect(setSetting(file, 'theme', 'dark')).toEqual({ defaultBackend: 'wasm', poolSize: 2, theme: 'dark' });
    const e = userErrorOf(() => setSetting(file, 'poolSize', 0));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/^invalid value for the setting poolSize:\n {2}- poolSize: /);
    expect(readSettings(file).poolSize).toBe(2);
  });

  it('a broken JSON file is reported with its path and left unchanged, by reads and writes alike', () => {
    mkdirSync(join(dir, 'config'));
    const broken = '{"cifar10Dir": "/data/cifar",, oops';
    writeFileSync(file, broken);
    for (const f of [() => readSettings(file), () => setSetting(file, 'db', '/x.sqlite')]) {
      const e = userErrorOf(f);
      expect(e.code).toBe('config');
      expect(e.message).toContain(`the settings file ${file} is not valid JSON`);
      expect(e.message).toContain('fix or delete it');
    }
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(readdirSync(join(dir, 'config'))).toEqual(['settings.json']);
  });

  it('a file with invalid entries names them and is left unchanged', () => {
    mkdirSync(join(dir, 'config'));
    const text = '{"cifar10Dir": 5, "colour": "dark"}';
    writeFileSync(file, text);
    const e = userErrorOf(() => setSetting(file, 'db', '/x.sqlite'));
    expect(e.code).toBe('config');
    expect(e.message).toContain(`the settings file ${file} has invalid entries`);
    expect(e.message).toContain('  - cifar10Dir: ');
    expect(e.message).toContain('"colour"');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
