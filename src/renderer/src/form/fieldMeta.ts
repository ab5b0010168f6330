/**
 * What the generated form says about each config field (src/shared/config.ts and probes.ts): its
 * label, a one-line hint, and when it applies (an option of the mlp, of noisy BatchNorm, of Adam...).
 * Fields not listed get a label from their key and are always shown.
 */
import type { FieldPath } from './schemaWalk';
import { getAt } from './schemaWalk';

interface Meta {
  label?: string;
  hint?: string;
  /** Shown only when this holds for the config being edited. */
  when?: (config: unknown) => boolean;
}

const is =
  (path: string, ...values: unknown[]) =>
  (c: unknown) =>
    values.includes(getAt(c, path.split('.')));
const not =
  (path: string, ...values: unknown[]) =>
  (c: unknown) =>
    !values.includes(getAt(c, path.split('.')));
const probeOn = (probe: string) => (c: unknown) => {
  const every = getAt(c, ['probes', probe, 'every']);
  return typeof every === 'number' && every > 0;
};
const startsWith = (path: string, prefix: string) => (c: unknown) => {
  const v = getAt(c, path.split('.'));
  return typeof v === 'string' && v.startsWith(prefix);
};

const BY_PATH: Record<string, Meta> = {
  name: { label: 'Run name', hint: "empty: the preset's name" },
  seed: { label: 'Seed', hint: 'weights, data order and probe draws' },
  model: { label: 'Model' },
  'model.network': { label: 'Network' },
  'model.widthMultiplier': {
    label: 'Width multiplier',
    hint: 'scales every conv width; vgg16 at 0.25 is the CPU-scale network',
    when: startsWith('model.network', 'vgg'),
  },
  'model.normalization': {
    label: 'Normalization',
    hint: 'batch: BatchNorm; noisy-batch: Algorithm 1; l1, l2, linf: lp normalizations',
  },
  'model.hidden': {
    label: 'Hidden widths',
    hint: 'comma list, one width a layer',
    when: is('model.network', 'mlp'),
  },
  'model.normMomentum': {
    label: 'Running-estimate momentum',
    hint: 'running = (1 − m) running + m batch',
    when: not('model.normalization', 'none'),
  },
  'model.eps': { label: 'ε', hint: 'added to the variance', when: not('model.normalization', 'none') },
  'model.noisy': { label: 'Injected noise (Algorithm 1)', when: is('model.normalization', 'noisy-batch') },
  'model.noisy.meanRange': { label: 'Mean range', hint: 'μⱼ ~ U(−r, r)' },
  'model.noisy.sigmaLow': { label: 'σ low', hint: 'σⱼ ~ U(low, high)' },
  'model.noisy.sigmaHigh': { label: 'σ high' },
  'model.noisy.meanJitter': { label: 'Mean jitter', hint: 'per element around μⱼ' },
  'model.noisy.sigmaStd': { label: 'σ std', hint: 'per element around σⱼ' },
  'model.noisy.generator': {
    label: 'Random numbers',
    hint: 'philox: drawn on the GPU under webgpu; alea: how runs stored before philox drew them',
  },
  'model.lp': { label: 'lp normalization', when: is('model.normalization', 'l1', 'l2', 'linf') },
  'model.lp.centered': { label: 'Centred', hint: 'subtract the batch mean before dividing by Nₚ' },
  'model.lp.averaged': { label: 'Averaged Nₚ', hint: '((1/m) Σ|y|ᵖ)^(1/p); off: (Σ|y|ᵖ)^(1/p)' },
  'model.biasBeforeNorm': {
    label: 'Bias before the normalization',
    hint: 'conv and hidden linear layers followed by a normalization',
    when: not('model.normalization', 'none'),
  },
  data: { label: 'Data' },
  'data.dataset': { label: 'Dataset' },
  'data.dir': {
    label: 'CIFAR-10 folder',
    hint: 'empty: the folder set in Settings',
    when: is('data.dataset', 'cifar10'),
  },
  'data.trainFiles': {
    label: 'Training files',
    hint: 'comma list; empty: every data_batch_*.bin',
    when: is('data.dataset', 'cifar10'),
  },
  'data.testFile': { label: 'Test file', when: is('data.dataset', 'cifar10') },
  'data.trainLimit': {
    label: 'Training images',
    hint: 'the first N; 0 = all',
    when: is('data.dataset', 'cifar10'),
  },
  'data.testLimit': {
    label: 'Test images',
    hint: 'the first N; 0 = all',
    when: is('data.dataset', 'cifar10'),
  },
  'data.standardize': { label: 'Standardize per channel', when: is('data.dataset', 'cifar10') },
  'data.augment': { label: 'Augmentation', hint: 'the paper uses none', when: is('data.dataset', 'cifar10') },
  'data.augment.crop': { label: 'Random crop (4 px padding)' },
  'data.augment.flip': { label: 'Horizontal flip' },
  'data.samples': { label: 'Samples', when: is('data.dataset', 'dln-synthetic') },
  'data.dim': { label: 'Dimension', hint: 'x ~ N(0, I), y = A x', when: is('data.dataset', 'dln-synthetic') },
  'data.inputStd': { label: 'Input std', hint: 'x ~ N(0, s² I)', when: is('data.dataset', 'dln-synthetic') },
  'data.targetStd': {
    label: 'Target map std',
    hint: 'entries of A ~ N(0, s²)',
    when: is('data.dataset', 'dln-synthetic'),
  },
  'data.lossReduction': {
    label: 'Loss reduction',
    hint: 'sum over samples (the paper), or a mean over samples or over every entry',
    when: is('data.dataset', 'dln-synthetic'),
  },
  optimizer: { label: 'Optimizer' },
  'optimizer.name': { label: 'Method' },
  'optimizer.lr': { label: 'Learning rate' },
  'optimizer.momentum': { label: 'Momentum', when: is('optimizer.name', 'momentum') },
  'optimizer.nesterov': { label: 'Nesterov', when: is('optimizer.name', 'momentum') },
  'optimizer.beta1': { label: 'β₁', when: is('optimizer.name', 'adam') },
  'optimizer.beta2': { label: 'β₂', when: is('optimizer.name', 'adam') },
  'optimizer.epsilon': { label: 'ε', when: is('optimizer.name', 'adam') },
  schedule: { label: 'Schedule' },
  'schedule.steps': { label: 'Steps' },
  'schedule.batchSize': { label: 'Batch size' },
  'schedule.trainMetricsEvery': { label: 'Train metrics every', hint: 'steps' },
  'schedule.testMetricsEvery': { label: 'Test metrics every', hint: 'steps; 0 = never' },
  'schedule.testBatchSize': { label: 'Test batch size' },
  'schedule.checkpointEvery': { label: 'Checkpoint every', hint: 'steps; 0 = only when stopped' },
  'schedule.keepCheckpoints': { label: 'Checkpoints kept' },
  probes: {
    label: 'Probes',
    hint: 'each probe: how often (steps, 0 = off) and which layers (none picked = all)',
  },
  'probes.ics': { label: 'Internal covariate shift (Def. 2.1)' },
  'probes.landscape': { label: 'Landscape along the gradient (Fig. 4)' },
  'probes.landscape.etaMultipliers': {
    label: 'η multipliers',
    hint: "of the LR; empty: the paper's grid",
    when: probeOn('landscape'),
  },
  'probes.activations': { label: 'Activation distributions (Figs. 1, 2)' },
  'probes.activations.bins': { label: 'Histogram bins', when: probeOn('activations') },
  'probes.norms': { label: 'Gradient and weight norms' },
  'probes.bnGradients': {
    label: 'BN gradient terms (Thm. 4.1)',
    hint: 'batch and noisy-batch networks',
  },
  'probes.hessian': { label: 'Hessian: top eigenvalue and trace' },
  'probes.hessian.maxIterations': { label: 'Power iterations', when: probeOn('hessian') },
  'probes.hessian.tolerance': { label: 'Tolerance', when: probeOn('hessian') },
  'probes.hessian.traceSamples': {
    label: 'Trace samples',
    hint: '0 skips the trace',
    when: probeOn('hessian'),
  },
};

const BY_KEY: Record<string, Meta> = {
  every: { label: 'Every', hint: 'steps; 0 = off' },
  layers: { label: 'Layers' },
};

function meta(path: FieldPath): Meta {
  const key = path.join('.');
  const byPath = BY_PATH[key];
  if (byPath) return byPath;
  // A probe's layers apply only while the probe is on.
  if (path[0] === 'probes' && path[2] === 'layers' && path[1]) {
    return { ...BY_KEY['layers'], when: probeOn(path[1]) };
  }
  return BY_KEY[path.at(-1) ?? ''] ?? {};
}

/** "trainMetricsEvery" -> "Train metrics every". */
function fromKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldLabel(path: FieldPath): string {
  return meta(path).label ?? fromKey(path.at(-1) ?? '');
}

export function fieldHint(path: FieldPath): string | undefined {
  return meta(path).hint;
}

export function fieldVisible(path: FieldPath, config: unknown): boolean {
  const when = meta(path).when;
  return when ? when(config) : true;
}
