/**
 * A run's config as flat dotted keys (`model.normalization`, `optimizer.lr`, `probes.ics.layers`):
 * what the compare view groups by and what its config diff table lists.
 */

/** A leaf value as compared and shown: arrays and objects as their JSON text. */
export type ConfigValue = string | number | boolean | null;

/** Every leaf of a config object under its dotted path. */
export function flattenConfig(config: unknown, prefix = ''): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  const visit = (value: unknown, path: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && path) out[path] = '{}';
      for (const [k, v] of entries) visit(v, path ? `${path}.${k}` : k);
      return;
    }
    if (!path) return;
    if (Array.isArray(value)) out[path] = JSON.stringify(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[path] = value;
    else out[path] = null;
  };
  visit(config, prefix);
  return out;
}

/** The value at a dotted path (undefined when the config has no such key). */
export function configValue(config: unknown, path: string): ConfigValue | undefined {
  const flat = flattenConfig(config);
  return Object.hasOwn(flat, path) ? flat[path] : undefined;
}

export interface ConfigDiffRow {
  key: string;
  /** One value per config, in order; undefined where that config lacks the key. */
  values: (ConfigValue | undefined)[];
  differs: boolean;
}

/**
 * The keys of the configs side by side, sorted by key; `onlyDiffering` (the default) keeps the keys
 * whose values are not all equal (a key some configs lack counts as differing).
 */
export function configDiff(configs: readonly unknown[], onlyDiffering = true): ConfigDiffRow[] {
  const flats = configs.map((c) => flattenConfig(c));
  const keys = new Set<string>();
  for (const f of flats) for (const k of Object.keys(f)) keys.add(k);
  const rows: ConfigDiffRow[] = [];
  for (const key of [...keys].sort()) {
    const values = flats.map((f) => (Object.hasOwn(f, key) ? f[key] : undefined));
    const first = values[0];
    const differs = values.some((v) => v !== first);
    if (differs || !onlyDiffering) rows.push({ key, values, differs });
  }
  return rows;
}

/** A group's label from its key values: `model.normalization=batch` -> `batch`; several joined by ", ". */
export function groupLabel(keys: readonly string[], values: readonly (ConfigValue | undefined)[]): string {
  return keys
    .map((k, i) => {
      const v = values[i];
      const shown = v === undefined ? '(none)' : String(v);
      return keys.length === 1 ? shown : `${k.split('.').pop() ?? k}=${shown}`;
    })
    .join(', ');
}
