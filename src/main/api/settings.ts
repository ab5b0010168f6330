/**
 * User settings (shared/api.ts settingsSchema), kept as JSON in the config directory. A broken
 * settings file is reported (with its path) instead of being overwritten, so nothing the user wrote
 * is lost. Paths are stored absolute, so a setting means the same from any working directory.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { settingsSchema, type SettingKey, type Settings } from '../../shared/api';
import { formatIssues } from '../../shared/configOverrides';
import { UserError } from '../../shared/errors';

export { settingsSchema, type SettingKey, type Settings };
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];
/** Settings that name a file or folder. */
const PATH_KEYS: readonly SettingKey[] = ['cifar10Dir', 'db'];

export function readSettings(file: string): Settings {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(
      'config',
      `the settings file ${file} is not valid JSON (${(e as Error).message}); fix or delete it`,
    );
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserError(
      'config',
      `the settings file ${file} has invalid entries; fix or delete them:\n${formatIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** A setting's value as a path setting stores it: absolute (relative to the working directory). */
export function settingValue<K extends SettingKey>(key: K, value: Settings[K]): Settings[K] {
  if (typeof value === 'string' && PATH_KEYS.includes(key) && !isAbsolute(value)) {
    return resolve(value) as Settings[K];
  }
  return value;
}

/**
 * Sets `key` (undefined or '' clears it) and writes the file atomically; returns every setting. The
 * value is checked against the schema first: nothing is written for a wrong one.
 */
export function setSetting<K extends SettingKey>(
  file: string,
  key: K,
  value: Settings[K] | undefined,
): Settings {
  if (!(SETTING_KEYS as string[]).includes(key)) {
    throw new UserError('usage', `unknown setting "${key}"; settings are: ${SETTING_KEYS.join(', ')}`);
  }
  const entries: [string, unknown][] = Object.entries(readSettings(file)).filter(([k]) => k !== key);
  if (value !== undefined && value !== '') entries.push([key, settingValue(key, value)]);
  const parsed = settingsSchema.safeParse(Object.fromEntries(entries));
  if (!parsed.success) {
    throw new UserError('usage', `invalid value for the setting ${key}:\n${formatIssues(parsed.error)}`);
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(parsed.data, null, 2)}\n`);
  renameSync(tmp, file);
  return parsed.data;
}
