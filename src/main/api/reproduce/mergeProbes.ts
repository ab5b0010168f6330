/**
 * Runs that differ only in which probes they record train identically (probes never change training,
 * shared/probes.ts), so the plan merges them into one run recording what each needs. Two configs
 * merge when they are equal except for the probes' `every` and `layers`; the merged run has, per
 * probe, the cadence gcd(every_i) over the runs that turn it on (each of their probed steps is still a
 * probed step; with one scale's cadence it is that cadence) and the union of their layer selections
 * (an empty selection, meaning every layer, absorbs the others).
 */
import type { ExperimentConfig } from '../../../shared/config';
import { PROBE_NAMES } from '../../../shared/probes';
import { canonicalJson, keyedConfig } from './runKey';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** What must be equal for two configs to merge: the keyed config less probe cadences and layers. */
export function mergeKey(config: ExperimentConfig): string {
  const keyed = keyedConfig(config);
  const probes: Record<string, unknown> = {};
  for (const name of PROBE_NAMES) {
    const rest: Record<string, unknown> = { ...keyed.probes[name] };
    delete rest.layers;
    // norms' 'train' cadence is not a step count: it stays part of what must match.
    if (typeof rest.every !== 'string') delete rest.every;
    probes[name] = rest;
  }
  return canonicalJson({ ...keyed, probes });
}

/** One config recording every probe of `configs` (which share a mergeKey), at the first's name. */
export function mergeProbes(configs: readonly ExperimentConfig[]): ExperimentConfig {
  const first = configs[0];
  if (!first) throw new Error('mergeProbes needs at least one config');
  const probes = structuredClone(first.probes) as Record<string, { every: unknown; layers?: number[] }>;
  for (const name of PROBE_NAMES) {
    const on = configs
      .map((c) => c.probes[name] as { every: unknown; layers?: number[] })
      .filter((p): p is { every: number; layers?: number[] } => typeof p.every === 'number' && p.every > 0);
    const target = probes[name] as { every: unknown; layers?: number[] };
    if (on.length === 0) continue;
    target.every = on.map((p) => p.every).reduce(gcd);
    if (target.layers !== undefined) {
      const selections = on.map((p) => p.layers ?? []);
      target.layers = selections.some((l) => l.length === 0)
        ? []
        : [...new Set(selections.flat())].sort((a, b) => a - b);
    }
  }
  return { ...first, probes: probes as unknown as ExperimentConfig['probes'] };
}
