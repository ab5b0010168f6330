/**
 * What each live panel draws, by series name. Probes write their scalars under one prefix per probe
 * (ARCHITECTURE.md "Naming": the probe's config key and series prefix agree; the store's migration 4
 * renamed older databases' `probe/act/...`, `probe/bn/...` and norms series to these).
 *
 *   train/loss, train/accuracy, test/loss, test/accuracy, perf/examples_per_sec
 *   probe/ics/layer{i}/{l2,cos}
 *   probe/landscape/{loss_min,loss_max,grad_change_min,grad_change_max,beta_eff}
 *   probe/activations/layer{i}/{mean,var}
 *   probe/bnGradients/layer{i}/{factor,grad_out_sq,mean_term,proj_term,grad_in_sq,grad_in_sq_predicted}
 *   probe/hessian/{top_eig,trace,trace_stderr,...}
 *   probe/norms/grad_norm/{layer{i},total}, probe/norms/weight_norm/layer{i}
 */

/** One series of a chart: its stored name and the legend label. */
export interface SeriesRef {
  name: string;
  label: string;
  /** Where the series goes in its chart's legend (layer number, term order); by name when equal. */
  order?: number;
}

/** Picks a chart's series out of every series name the run has; null = not this chart's. */
export type SeriesSelector = (name: string) => SeriesRef | null;

const layerOf = (m: RegExpMatchArray): number => Number(m[1]);

/** `probe/ics/layer5/l2` style names of one quantity, one series per layer, labelled `layer 5`. */
export function perLayer(prefixes: readonly string[], field: string): SeriesSelector {
  const patterns = prefixes.map((p) => new RegExp(`^probe/${p}/layer(\\d+)/${field}$`));
  return (name) => {
    for (const re of patterns) {
      const m = name.match(re);
      if (m) return { name, label: `layer ${layerOf(m)}`, order: layerOf(m) };
    }
    return null;
  };
}

/** Fixed names with their labels. */
export function named(labels: Readonly<Record<string, string>>): SeriesSelector {
  return (name) => (Object.hasOwn(labels, name) ? { name, label: labels[name] as string } : null);
}

export const ACTIVATION_PREFIXES = ['activations'] as const;
export const BN_PREFIXES = ['bnGradients'] as const;

/** The Theorem 4.1 terms, in the order the proof writes them, with their legend labels. */
export const BN_TERMS: readonly { field: string; label: string }[] = [
  { field: 'grad_out_sq', label: '‖ĝ‖²' },
  { field: 'mean_term', label: '⟨1,ĝ⟩²/m' },
  { field: 'proj_term', label: '⟨ĝ,ŷ⟩²/m' },
  { field: 'grad_in_sq', label: '‖∂L/∂y‖²' },
  { field: 'grad_in_sq_predicted', label: 'predicted' },
];

/** The Theorem 4.1 terms of one BN layer. */
export function bnLayerTerms(layer: number): SeriesSelector {
  const patterns = BN_PREFIXES.map((p) => new RegExp(`^probe/${p}/layer${layer}/(\\w+)$`));
  return (name) => {
    for (const re of patterns) {
      const field = name.match(re)?.[1];
      const order = BN_TERMS.findIndex((t) => t.field === field);
      const term = BN_TERMS[order];
      if (term) return { name, label: term.label, order };
    }
    return null;
  };
}

/** The factor gamma^2 / sigma^2 of one BN layer (its own chart: a different scale). */
export function bnLayerFactor(layer: number): SeriesSelector {
  return named(Object.fromEntries(BN_PREFIXES.map((p) => [`probe/${p}/layer${layer}/factor`, 'γ²/σ²'])));
}

/** The activation probe's mean and variance of one layer's unit. */
export function activationMoments(layer: number): SeriesSelector {
  const labels: Record<string, string> = {};
  for (const p of ACTIVATION_PREFIXES) {
    labels[`probe/${p}/layer${layer}/mean`] = 'mean';
    labels[`probe/${p}/layer${layer}/var`] = 'variance';
  }
  return named(labels);
}

/** The layers that have series under one of `prefixes` (e.g. the BN layers probed). */
export function layersIn(names: Iterable<string>, prefixes: readonly string[]): number[] {
  const layers = new Set<number>();
  const res = prefixes.map((p) => new RegExp(`^probe/${p}/layer(\\d+)/`));
  for (const name of names) {
    for (const re of res) {
      const m = name.match(re);
      if (m) layers.add(layerOf(m));
    }
  }
  return [...layers].sort((a, b) => a - b);
}
