/**
 * User settings, kept as JSON in the config directory. A broken settings file is reported (with its
 * path) instead of being overwritten, so nothing the user wrote is lost.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../../shared/configOverrides';
import { UserError } from '../../shared/errors';

export const settingsSchema = z
  .object({
    /** Folder with the CIFAR-10 binary files (cifar-10-batches-bin). */
    cifar10Dir: z.string().optional(),
    /** Database used when --db is not given. */
    db: z.string().optional(),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];

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

export function setSetting(file: string, key: string, value: string | undefined): Settings {
  if (!(SETTING_KEYS as string[]).includes(key)) {
    throw new UserError('usage', `unknown setting "${key}"; settings are: ${SETTING_KEYS.join(', ')}`);
  }
  // Paths are stored absolute so the setting means the same from any working directory.
  const entries = Object.entries(readSettings(file)).filter(([k]) => k !== key);
  if (value !== undefined && value !== '') entries.push([key, isAbsolute(value) ? value : resolve(value)]);
  const next = Object.fromEntries(entries) as Settings;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, file);
  return next;
}
