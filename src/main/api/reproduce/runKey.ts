/**
 * A planned run's stable key: the SHA-256 of its parsed experiment config in canonical JSON (object
 * keys sorted), less what does not change the experiment: its `name`, `data.dir` (where the
 * CIFAR-10 files lie on this machine) and `backend` (the same experiment on another backend differs
 * only by float rounding; the report names each run's backend). The same config gives the same key on every machine and
 * NormLab version whose schema fills the same defaults, so a rerun finds its runs in the store.
 */
import { createHash } from 'node:crypto';
import type { ExperimentConfig } from '../../../shared/config';

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The config as the key sees it: name, data folder and backend blanked. */
export function keyedConfig(config: ExperimentConfig): ExperimentConfig {
  return { ...config, name: '', backend: 'auto', data: { ...config.data, dir: '' } };
}

/** 16 hex digits (64 bits) of the hash: collisions among a store's runs are not a concern. */
export function runKey(config: ExperimentConfig): string {
  return createHash('sha256')
    .update(canonicalJson(keyedConfig(config)))
    .digest('hex')
    .slice(0, 16);
}
