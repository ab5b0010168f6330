/**
 * Every figure of PAPER.md section 5, and Fig 9 (the DLN's activation distributions), as a set of
 * runs, at paper scale (`fig4`) and at CPU scale (`fig4-cpu`: vgg16 at width 1/4 on the images the
 * data folder holds, 2k steps; the DLN already runs at paper scale on a CPU, so its CPU-scale runs
 * are the paper's). Each run is a preset of its own, `FIGURE/LABEL` (e.g. `fig4-cpu/bn`), with the
 * probes its figure shows at the paper's cadence (VGG every 100 steps, DLN every 50) and the paper's
 * layer choices.
 */
import type { ExperimentInput, NormalizationName } from './config';
import type { ProbesConfig } from './probes';

export type ProbesInput = { [K in keyof ProbesConfig]?: Partial<ProbesConfig[K]> };

export interface FigureRun {
  /** Preset name: FIGURE/LABEL. */
  name: string;
  label: string;
  config: ExperimentInput;
}

export interface Figure {
  name: string;
  /** The figure of the paper, e.g. "4" or "3a". */
  figure: string;
  scale: 'paper' | 'cpu';
  description: string;
  runs: FigureRun[];
}

const VGG_EVERY = 100;
const DLN_EVERY = 50;

const NORM_LABEL: Record<NormalizationName, string> = {
  none: 'plain',
  batch: 'bn',
  'noisy-batch': 'noisy-bn',
  l1: 'l1',
  l2: 'l2',
  linf: 'linf',
};

const FIVE: NormalizationName[] = ['none', 'batch', 'l1', 'l2', 'linf'];

/**
 * PAPER.md section 2's VGG protocol: vgg16, plain SGD, batch 128; paper scale 15k steps, CPU scale
 * width 1/4 and 2k steps. The base presets (presets.ts) use it too.
 */
export function vggProtocol(
  scale: 'paper' | 'cpu',
  normalization: NormalizationName,
  lr: number,
  probes: ProbesInput,
): ExperimentInput {
  const cpu = scale === 'cpu';
  return {
    model: { network: 'vgg16', normalization, ...(cpu ? { widthMultiplier: 0.25 } : {}) },
    data: { dataset: 'cifar10' },
    optimizer: { name: 'sgd', lr },
    schedule: {
      steps: cpu ? 2000 : 15_000,
      batchSize: 128,
      trainMetricsEvery: cpu ? 20 : 100,
      testMetricsEvery: cpu ? 500 : 1000,
      checkpointEvery: cpu ? 250 : 1000,
    },
    probes: probes as ExperimentInput['probes'],
  };
}

/** PAPER.md section 2's DLN protocol: full-batch GD on 1,000 samples, 10k steps. */
export function dlnProtocol(
  normalization: NormalizationName,
  lr: number,
  probes: ProbesInput,
): ExperimentInput {
  return {
    model: { network: 'dln25', normalization },
    data: { dataset: 'dln-synthetic', samples: 1000, dim: 10 },
    optimizer: { name: 'sgd', lr },
    schedule: {
      steps: 10_000,
      batchSize: 1000,
      trainMetricsEvery: 10,
      testMetricsEvery: 0,
      checkpointEvery: 1000,
    },
    probes: probes as ExperimentInput['probes'],
  };
}

const activations = (layers: number[], every: number): ProbesInput => ({ activations: { every, layers } });
const ics = (layers: number[], every: number): ProbesInput => ({ ics: { every, layers } });
const landscape = (every: number): ProbesInput => ({ landscape: { every } });

interface RunSpec {
  net: 'vgg' | 'dln';
  norm: NormalizationName;
  lr: number;
  probes: (every: number) => ProbesInput;
  /** Say the LR in the label (figures that vary it). */
  lrLabel?: boolean;
}

interface FigureSpec {
  figure: string;
  shows: string;
  runs: RunSpec[];
}

const none = (): ProbesInput => ({});

const SPECS: FigureSpec[] = [
  {
    figure: '1',
    shows: 'train and test accuracy; activation ridge plots of layers 3 and 11',
    runs: (['none', 'batch'] as const).flatMap((norm) =>
      [0.1, 0.5].map((lr) => ({
        net: 'vgg' as const,
        norm,
        lr,
        lrLabel: true,
        probes: (e: number) => activations([3, 11], e),
      })),
    ),
  },
  {
    figure: '2',
    shows:
      'train accuracy; activation ridge plots of layers 2, 9 and 13 (noisy BN shifts them, and still trains)',
    runs: (['none', 'batch', 'noisy-batch'] as const).map((norm) => ({
      net: 'vgg' as const,
      norm,
      lr: 0.1,
      probes: (e: number) => activations([2, 9, 13], e),
    })),
  },
  {
    figure: '3a',
    shows: 'train accuracy; internal covariate shift (l2 and cosine) of layers 5 and 10',
    runs: (['none', 'batch'] as const).flatMap((norm) =>
      [0.1, 0.01].map((lr) => ({
        net: 'vgg' as const,
        norm,
        lr,
        lrLabel: true,
        probes: (e: number) => ics([5, 10], e),
      })),
    ),
  },
  {
    figure: '3b',
    shows: 'DLN train loss; internal covariate shift (l2 and cosine) of layers 9 and 17',
    runs: (['none', 'batch'] as const).flatMap((norm) =>
      [1e-6, 1e-7].map((lr) => ({
        net: 'dln' as const,
        norm,
        lr,
        lrLabel: true,
        probes: (e: number) => ics([9, 17], e),
      })),
    ),
  },
  {
    figure: '4',
    shows: 'loss band, gradient-predictiveness band and effective beta-smoothness along the gradient',
    runs: (['none', 'batch'] as const).map((norm) => ({
      net: 'vgg' as const,
      norm,
      lr: 0.1,
      probes: landscape,
    })),
  },
  {
    figure: '5',
    shows: 'train accuracy (VGG) and train loss (DLN) under the five normalizations',
    runs: [
      ...FIVE.map((norm) => ({ net: 'vgg' as const, norm, lr: 0.1, probes: none })),
      ...FIVE.map((norm) => ({ net: 'dln' as const, norm, lr: 1e-6, probes: none })),
    ],
  },
  {
    figure: '6',
    shows: 'activation ridge plots of layer 11 under the five normalizations',
    runs: FIVE.map((norm) => ({
      net: 'vgg' as const,
      norm,
      lr: 0.1,
      probes: (e: number) => activations([11], e),
    })),
  },
  {
    figure: '8',
    shows: 'mean and variance change of sampled activations of layers 2, 9 and 13 (the runs of fig 2)',
    runs: (['none', 'batch', 'noisy-batch'] as const).map((norm) => ({
      net: 'vgg' as const,
      norm,
      lr: 0.1,
      probes: (e: number) => activations([2, 9, 13], e),
    })),
  },
  {
    figure: '9',
    shows: 'DLN train loss; activation ridge plots of layers 1, 11 and 24',
    runs: (['none', 'batch'] as const).map((norm) => ({
      net: 'dln' as const,
      norm,
      lr: 1e-6,
      probes: (e: number) => activations([1, 11, 24], e),
    })),
  },
  {
    figure: '10',
    shows: 'the landscape probes of fig 4 on the deep linear network',
    runs: (['none', 'batch'] as const).map((norm) => ({
      net: 'dln' as const,
      norm,
      lr: 1e-6,
      probes: landscape,
    })),
  },
  {
    figure: '11',
    shows: 'gradient change against the step size eta, one curve per probed step',
    runs: (['none', 'batch'] as const).flatMap((norm) => [
      { net: 'vgg' as const, norm, lr: 0.1, probes: landscape },
      { net: 'dln' as const, norm, lr: 1e-6, probes: landscape },
    ]),
  },
  {
    figure: '12',
    shows: 'VGG under the five normalizations: accuracy and the three landscape probes',
    runs: FIVE.map((norm) => ({ net: 'vgg' as const, norm, lr: 0.1, probes: landscape })),
  },
  {
    figure: '13',
    shows: 'DLN under the five normalizations: loss and the three landscape probes',
    runs: FIVE.map((norm) => ({ net: 'dln' as const, norm, lr: 1e-6, probes: landscape })),
  },
];

function label(run: RunSpec, figureHasBothNets: boolean): string {
  const parts = [
    ...(figureHasBothNets ? [run.net === 'vgg' ? 'vgg16' : 'dln25'] : []),
    NORM_LABEL[run.norm],
    ...(run.lrLabel ? [`lr${run.lr < 1e-3 ? run.lr.toExponential() : String(run.lr)}`] : []),
  ];
  return parts.join('-');
}

function buildFigure(spec: FigureSpec, scale: 'paper' | 'cpu'): Figure {
  const name = `fig${spec.figure}${scale === 'cpu' ? '-cpu' : ''}`;
  const bothNets = new Set(spec.runs.map((r) => r.net)).size > 1;
  const where =
    scale === 'cpu'
      ? 'CPU scale: vgg16 at width 1/4, 2k steps; the DLN at paper scale'
      : 'paper scale: vgg16 15k steps, the DLN 10k steps';
  return {
    name,
    figure: spec.figure,
    scale,
    description: `Fig ${spec.figure}: ${spec.shows} (${where})`,
    runs: spec.runs.map((run) => {
      const l = label(run, bothNets);
      return {
        name: `${name}/${l}`,
        label: l,
        config:
          run.net === 'vgg'
            ? vggProtocol(scale, run.norm, run.lr, run.probes(VGG_EVERY))
            : dlnProtocol(run.norm, run.lr, run.probes(DLN_EVERY)),
      };
    }),
  };
}

export const FIGURES: readonly Figure[] = SPECS.flatMap((spec) => [
  buildFigure(spec, 'paper'),
  buildFigure(spec, 'cpu'),
]);

export function findFigure(name: string): Figure | undefined {
  return FIGURES.find((f) => f.name === name);
}
