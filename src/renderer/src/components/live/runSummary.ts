/**
 * What the live view needs to know about a run's config: the header's facts and which probe panels
 * to show. The stored config is parsed with the current schema; a config this version cannot parse
 * still gets a header from its row, and panels from the series it has.
 */
import { experimentSchema, normalizableLayerCount, type ExperimentConfig } from '../../../../shared/config';
import { PROBE_NAMES, type ProbeName } from '../../../../shared/probes';

export interface ProbePlan {
  /** Probes that are on (every > 0, or norms at the train cadence). */
  on: Set<ProbeName>;
  /** The layers each layer-wise probe looks at (empty: none known). */
  layers: Partial<Record<ProbeName, number[]>>;
  /** The run's normalization is batch or noisy batch (Theorem 4.1 applies). */
  batchNorm: boolean;
}

export function parseConfig(config: unknown): ExperimentConfig | null {
  const r = experimentSchema.safeParse(config);
  return r.success ? r.data : null;
}

export function probePlan(config: ExperimentConfig | null, seriesNames: readonly string[] = []): ProbePlan {
  const on = new Set<ProbeName>();
  const layers: Partial<Record<ProbeName, number[]>> = {};
  // Every probe writes under probe/NAME/, NAME its config key (ARCHITECTURE.md "Naming").
  for (const name of seriesNames) {
    const probe = /^probe\/([^/]+)\//.exec(name)?.[1];
    if (probe !== undefined && (PROBE_NAMES as readonly string[]).includes(probe)) on.add(probe as ProbeName);
  }
  let batchNorm = on.has('bnGradients');
  if (config !== null) {
    const p = config.probes;
    const count = normalizableLayerCount(config.model);
    const all = Array.from({ length: count }, (_, i) => i + 1);
    const pick = (selected: readonly number[]): number[] => (selected.length > 0 ? [...selected] : all);
    if (p.ics.every > 0) on.add('ics');
    if (p.landscape.every > 0) on.add('landscape');
    if (p.activations.every > 0) on.add('activations');
    if (p.hessian.every > 0) on.add('hessian');
    if (p.norms.every === 'train' || p.norms.every > 0) on.add('norms');
    batchNorm = config.model.normalization === 'batch' || config.model.normalization === 'noisy-batch';
    if (p.bnGradients.every > 0 && batchNorm) on.add('bnGradients');
    layers.ics = pick(p.ics.layers);
    layers.activations = pick(p.activations.layers);
    layers.bnGradients = pick(p.bnGradients.layers);
  }
  return { on, layers, batchNorm };
}
