/** What a preset runs, in the words of its card: network, normalization, LR, steps, probes, data. */
import { experimentSchema, type ExperimentConfig } from '../../../../shared/config';
import { PROBE_NAMES } from '../../../../shared/probes';
import { formatCount, formatLr } from '../../format/numbers';
import { formatDuration } from '../../format/time';

/** A preset's config with every default filled in, or null when it does not parse. */
export function resolveConfig(config: unknown): ExperimentConfig | null {
  const parsed = experimentSchema.safeParse(config);
  return parsed.success ? parsed.data : null;
}

export interface Summary {
  network: string;
  normalization: string;
  optimizer: string;
  steps: string;
  dataset: string;
  probes: string[];
}

const PROBE_SHORT: Record<string, string> = {
  ics: 'ICS',
  landscape: 'landscape',
  activations: 'activations',
  norms: 'norms',
  bnGradients: 'BN grads',
  hessian: 'Hessian',
};

export function summarize(c: ExperimentConfig): Summary {
  const width =
    c.model.widthMultiplier !== 1 && c.model.network.startsWith('vgg') ? ` ×${c.model.widthMultiplier}` : '';
  const dataset =
    c.data.dataset === 'cifar10'
      ? `CIFAR-10${c.data.trainLimit > 0 ? `, ${formatCount(c.data.trainLimit)} images` : ''}`
      : `synthetic, ${formatCount(c.data.samples)} samples`;
  const probes: string[] = [];
  for (const name of PROBE_NAMES) {
    const every = c.probes[name].every;
    if (every === 0) continue;
    probes.push(`${PROBE_SHORT[name] ?? name}${typeof every === 'number' ? `/${every}` : ''}`);
  }
  return {
    network: `${c.model.network}${width}`,
    normalization: c.model.normalization === 'none' ? 'no norm' : c.model.normalization,
    optimizer: `${c.optimizer.name} LR ${formatLr(c.optimizer.lr)}`,
    steps: `${formatCount(c.schedule.steps)} steps × ${c.schedule.batchSize}`,
    dataset,
    probes,
  };
}

export function formatEstimate(sec: number | null): string {
  return sec === null ? 'unknown on this machine' : `≈ ${formatDuration(sec)} on this machine`;
}
