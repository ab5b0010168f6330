/**
 * Series names as people read them, for axis labels: `train/loss` -> "training loss",
 * `probe/ics/layer5/l2` -> "ICS: layer 5, l2", `probe/norms/grad_norm/total` -> "norms: grad norm, total".
 */

/** The probes' names in series (`probe/NAME/...`) as words. */
const PROBES: Record<string, string> = {
  ics: 'ICS',
  landscape: 'loss landscape',
  hessian: 'Hessian',
  norms: 'norms',
  activations: 'activations',
  bnGradients: 'BN gradients',
};

const SPLITS: Record<string, string> = { train: 'training', test: 'test', perf: 'speed' };

function words(part: string): string {
  const layer = /^layer(\d+)$/.exec(part);
  if (layer) return `layer ${layer[1]}`;
  return part.replaceAll('_', ' ');
}

export function metricName(series: string): string {
  const parts = series.split('/').filter((p) => p !== '');
  const [head, ...rest] = parts;
  if (head === undefined) return series;
  if (head === 'probe' && rest.length > 0) {
    const [probe = '', ...detail] = rest;
    const name = PROBES[probe] ?? words(probe);
    return detail.length > 0 ? `${name}: ${detail.map(words).join(', ')}` : name;
  }
  const split = SPLITS[head];
  if (split !== undefined && rest.length > 0) return `${split} ${rest.map(words).join(' ')}`;
  return parts.map(words).join(' ');
}
