/**
 * Named experiments: the paper's protocols (PAPER.md section 2) at paper scale and at CPU scale.
 * CPU scale keeps vgg16's depth (every per-layer panel exists) at width 1/4, trains on the images the
 * data folder holds (the shared 10k-image batch here) and runs fewer steps. The VGG and DLN presets
 * carry NormLab's default probe set at the paper's cadence (VGG every 100 steps, DLN every 50): the
 * landscape along the gradient (Fig 4), internal covariate shift and activation distributions of the
 * layers the paper plots, the BN gradient decomposition, and gradient/weight norms with the train
 * metrics. Every figure of PAPER.md section 5 adds its runs as FIGURE/LABEL presets (figures.ts).
 */
import type { ExperimentInput } from './config';
import { dlnProtocol, FIGURES, vggProtocol, type ProbesInput } from './figures';

export interface Preset {
  name: string;
  description: string;
  config: ExperimentInput;
}

/** vgg16's default probes: Fig 3a's ICS layers, Fig 2's activation layers, every 100 steps. */
const VGG_PROBES: ProbesInput = {
  landscape: { every: 100 },
  ics: { every: 100, layers: [5, 10] },
  activations: { every: 100, layers: [2, 9, 13] },
  bnGradients: { every: 100 },
};

/** The DLN's default probes: Fig 3b's ICS layers, every 50 steps. */
const DLN_PROBES: ProbesInput = {
  landscape: { every: 50 },
  ics: { every: 50, layers: [9, 17] },
  activations: { every: 50, layers: [9, 17] },
  bnGradients: { every: 50 },
};

const vggPaper = (normalization: 'none' | 'batch'): ExperimentInput =>
  vggProtocol('paper', normalization, 0.1, VGG_PROBES);

const vggCpu = (normalization: 'none' | 'batch'): ExperimentInput =>
  vggProtocol('cpu', normalization, 0.1, VGG_PROBES);

const dln = (normalization: 'none' | 'batch'): ExperimentInput =>
  dlnProtocol(normalization, 1e-6, DLN_PROBES);

export const PRESETS: readonly Preset[] = [
  {
    name: 'dln25-plain',
    description:
      'Deep linear network, 25 layers, no normalization, full-batch GD at LR 1e-6 (paper scale, runs on a CPU)',
    config: dln('none'),
  },
  {
    name: 'dln25-bn',
    description:
      'Deep linear network, 25 layers, BatchNorm, full-batch GD at LR 1e-6 (paper scale, runs on a CPU)',
    config: dln('batch'),
  },
  {
    name: 'vgg16-plain',
    description:
      'VGG16 on CIFAR-10 without normalization, SGD LR 0.1, batch 128, 15k steps (paper scale, GPU)',
    config: vggPaper('none'),
  },
  {
    name: 'vgg16-bn',
    description: 'VGG16 on CIFAR-10 with BatchNorm, SGD LR 0.1, batch 128, 15k steps (paper scale, GPU)',
    config: vggPaper('batch'),
  },
  {
    name: 'vgg16-plain-cpu',
    description: 'VGG16 at width 1/4 without normalization, SGD LR 0.1, batch 128, 2k steps (CPU scale)',
    config: vggCpu('none'),
  },
  {
    name: 'vgg16-bn-cpu',
    description: 'VGG16 at width 1/4 with BatchNorm, SGD LR 0.1, batch 128, 2k steps (CPU scale)',
    config: vggCpu('batch'),
  },
  {
    name: 'vgg-tiny-bn',
    description: 'vgg-tiny with BatchNorm on 2,000 CIFAR-10 images, 200 steps: a one-minute smoke run',
    config: {
      model: { network: 'vgg-tiny', normalization: 'batch' },
      data: { dataset: 'cifar10', trainLimit: 2000, testLimit: 1000 },
      optimizer: { name: 'sgd', lr: 0.1 },
      schedule: {
        steps: 200,
        batchSize: 64,
        trainMetricsEvery: 10,
        testMetricsEvery: 100,
        checkpointEvery: 100,
      },
    },
  },
  ...FIGURES.flatMap((f) =>
    f.runs.map((r) => ({ name: r.name, description: `${f.description}; run ${r.label}`, config: r.config })),
  ),
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
