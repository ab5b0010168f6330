/**
 * JSON cannot hold NaN or +-Infinity (diverged runs have them): on the WebSocket they travel as
 * {"$nonfinite": "NaN" | "Infinity" | "-Infinity"}. IPC's structured clone keeps them as they are.
 *
 * Kept apart from api.ts, which loads zod: the renderer imports this module directly so that the
 * page's first script does not evaluate every zod schema of the contract before it can connect
 * (about 100 ms of the runs table's first paint). Import nothing here.
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $nonfinite: String(v) } : v,
  );
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const tag = (v as { $nonfinite?: unknown }).$nonfinite;
      if (tag === 'NaN') return NaN;
      if (tag === 'Infinity') return Infinity;
      if (tag === '-Infinity') return -Infinity;
    }
    return v;
  });
}
