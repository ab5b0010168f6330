/** JSON for scripts. */

/** JSON.stringify replacer: NaN and the infinities, which JSON cannot hold, as "NaN", "Infinity", "-Infinity". */
export function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
