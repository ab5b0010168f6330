/**
 * The experiment config: everything that determines a run. Stored verbatim (as JSON) with every run,
 * so a run can be reproduced or resumed from its row alone. Defaults follow ../shared/spec/PAPER.md.
 */
import { z } from 'zod';
import { PROBE_NAMES, probesSchema } from './probes';

export const NETWORKS = ['vgg16', 'vgg-mini', 'vgg-tiny', 'dln25', 'mlp'] as const;
export type NetworkName = (typeof NETWORKS)[number];

/** PAPER.md section 3. `noisy-batch` is Algorithm 1; `l1`, `l2`, `linf` are the lp normalizations. */
export const NORMALIZATIONS = ['none', 'batch', 'noisy-batch', 'l1', 'l2', 'linf'] as const;
export type NormalizationName = (typeof NORMALIZATIONS)[number];

/** ARCHITECTURE.md "Engine backends"; `auto` picks the first that initializes and can train. */
export const BACKENDS = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type ConcreteBackendName = Exclude<BackendName, 'auto'>;
export const CONCRETE_BACKENDS = BACKENDS.filter((b): b is ConcreteBackendName => b !== 'auto') as [
  ConcreteBackendName,
  ...ConcreteBackendName[],
];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const DATASETS = ['cifar10', 'dln-synthetic'] as const;
export type DatasetName = (typeof DATASETS)[number];

/**
 * How the DLN loss reduces the squared errors e_i = W_25 ... W_1 x_i - A x_i of a batch of m samples:
 * `sum` = sum_i ||e_i||^2 (PAPER.md section 2's reading), `sample-mean` = (1/m) sum_i ||e_i||^2,
 * `element-mean` = (1/(m dim)) sum_i ||e_i||^2 (PyTorch's MSELoss default).
 */
export const LOSS_REDUCTIONS = ['sum', 'sample-mean', 'element-mean'] as const;
export type LossReduction = (typeof LOSS_REDUCTIONS)[number];

const positiveInt = z.number().int().positive();

export const noisyBatchNormSchema = z
  .object({
    /** mu_j ~ U(-meanRange, meanRange) per unit and step (Algorithm 1: 0.5). */
    meanRange: z.number().nonnegative().default(0.5),
    /** sigma_j ~ U(sigmaLow, sigmaHigh) per unit and step (Algorithm 1: 1 and 1.25). */
    sigmaLow: z.number().default(1),
    sigmaHigh: z.number().default(1.25),
    /** m ~ U(mu_j - meanJitter, mu_j + meanJitter) per element (Algorithm 1: 0.1). */
    meanJitter: z.number().nonnegative().default(0.1),
    /** s ~ N(sigma_j, sigmaStd) per element; sigmaStd is a standard deviation (Algorithm 1: 0.1). */
    sigmaStd: z.number().nonnegative().default(0.1),
    /**
     * The random numbers behind the noise (norms/noisyBatchNorm.ts), both seeded from the run seed, step
     * and layer: `philox`, a counter-based Philox4x32-10 that the GPU draws itself under webgpu; `alea`,
     * the host-drawn streams of runs stored before philox existed (a store migration sets it on them,
     * so they resume and replay as they ran). Same distribution, different numbers.
     */
    generator: z.enum(['philox', 'alea']).default('philox'),
  })
  .strict()
  .refine((v) => v.sigmaLow <= v.sigmaHigh, { message: 'sigmaLow must not exceed sigmaHigh' });

/**
 * The lp normalizations' open choices (paper section 3.3 gives the formula only in words). PAPER.md
 * section 3 reads y_hat = (y - mean(y)) / (N_p + eps) with N_p = ((1/m) sum |y|^p)^(1/p) of the
 * uncentred y: both options on. N_p is of the uncentred y under every choice; N_inf = max |y|
 * whatever `averaged` says.
 */
export const lpNormSchema = z
  .object({
    /** Subtract the batch mean (per unit) before dividing by N_p; off: y_hat = y / (N_p + eps). */
    centered: z.boolean().default(true),
    /** N_p = ((1/m) sum |y|^p)^(1/p) over the m values of a unit; off: N_p = (sum |y|^p)^(1/p). */
    averaged: z.boolean().default(true),
  })
  .strict();

export const modelSchema = z
  .object({
    network: z.enum(NETWORKS),
    /** Divides every conv width of the VGG family (vgg16 at 1/4 is the CPU-scale network). */
    widthMultiplier: z.number().positive().max(4).default(1),
    normalization: z.enum(NORMALIZATIONS).default('none'),
    /** Hidden layer widths of the `mlp` network (ignored by the others). */
    hidden: z.array(positiveInt).default([256, 256]),
    /** Running-estimate momentum of batch and lp norms: running = (1 - m) running + m batch. */
    normMomentum: z.number().gt(0).lte(1).default(0.1),
    eps: z.number().positive().default(1e-5),
    noisy: noisyBatchNormSchema.default({
      meanRange: 0.5,
      sigmaLow: 1,
      sigmaHigh: 1.25,
      meanJitter: 0.1,
      sigmaStd: 0.1,
      generator: 'philox',
    }),
    lp: lpNormSchema.default({ centered: true, averaged: true }),
    /**
     * Conv and hidden linear layers followed by a normalization keep their bias b_i (PyTorch's VGG-BN
     * does; batch norm cancels it, the lp norms do not since N_p is of the uncentred y). Off drops
     * those biases; layers without a normalization (model.normalization=none, the output layer) keep
     * theirs either way, and dln25 has none (PAPER.md section 1).
     */
    biasBeforeNorm: z.boolean().default(true),
  })
  .strict();

export const dataSchema = z
  .object({
    dataset: z.enum(DATASETS),
    /**
     * Folder holding the CIFAR-10 binary files. Empty: the `cifar10Dir` setting, then the data
     * directory's `cifar-10-batches-bin`.
     */
    dir: z.string().default(''),
    /** Training files to read from `dir`; empty means every `data_batch_*.bin` present. */
    trainFiles: z.array(z.string().min(1)).default([]),
    testFile: z.string().min(1).default('test_batch.bin'),
    /** Use only the first N training (test) images; 0 means all. */
    trainLimit: z.number().int().nonnegative().default(0),
    testLimit: z.number().int().nonnegative().default(0),
    /** Per-channel standardization with the training set's mean and std (PAPER.md section 1). */
    standardize: z.boolean().default(true),
    /** Random 32x32 crop from the 4-pixel zero-padded image, and horizontal flip; the paper uses none. */
    augment: z
      .object({ crop: z.boolean().default(false), flip: z.boolean().default(false) })
      .strict()
      .default({ crop: false, flip: false }),
    /** The synthetic deep-linear-network task (PAPER.md section 2): x ~ N(0, I_dim), y = A x. */
    samples: positiveInt.default(1000),
    dim: positiveInt.default(10),
    /** DLN inputs x ~ N(0, inputStd^2 I_dim); PAPER.md section 2 reads N(0, I): 1. */
    inputStd: z.number().positive().default(1),
    /** DLN target map entries A_rc ~ N(0, targetStd^2) i.i.d.; PAPER.md section 2 reads N(0, 1): 1. */
    targetStd: z.number().positive().default(1),
    /** The DLN loss over a batch (LOSS_REDUCTIONS); PAPER.md section 2 reads the sum over samples. */
    lossReduction: z.enum(LOSS_REDUCTIONS).default('sum'),
  })
  .strict();

export const optimizerSchema = z
  .object({
    name: z.enum(OPTIMIZERS).default('sgd'),
    lr: z.number().positive(),
    momentum: z.number().min(0).lt(1).default(0.9),
    nesterov: z.boolean().default(false),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
  })
  .strict();

export const scheduleSchema = z
  .object({
    steps: positiveInt,
    /** Minibatch size; the DLN protocol is full batch (equal to data.samples). */
    batchSize: positiveInt.default(128),
    trainMetricsEvery: positiveInt.default(100),
    /** 0 disables test evaluation. */
    testMetricsEvery: z.number().int().nonnegative().default(1000),
    testBatchSize: positiveInt.default(500),
    /** 0 checkpoints only at stop. */
    checkpointEvery: z.number().int().nonnegative().default(1000),
    /** How many checkpoints a run keeps (oldest dropped first); at least one. */
    keepCheckpoints: positiveInt.default(3),
  })
  .strict();

export const experimentSchema = z
  .object({
    name: z.string().default(''),
    seed: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 31 - 1)
      .default(0),
    backend: z.enum(BACKENDS).default('auto'),
    model: modelSchema,
    data: dataSchema,
    optimizer: optimizerSchema,
    schedule: scheduleSchema,
    probes: probesSchema.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const count = normalizableLayerCount(c.model);
    for (const probe of PROBE_NAMES) {
      const selected: unknown = (c.probes[probe] as { layers?: number[] }).layers;
      if (!Array.isArray(selected)) continue;
      selected.forEach((layer: number, k) => {
        if (layer > count) {
          ctx.addIssue({
            code: 'custom',
            path: ['probes', probe, 'layers', k],
            message: `${c.model.network} has layers 1 to ${count}; layer ${layer} does not exist`,
          });
        }
      });
    }
    const dln = c.model.network === 'dln25';
    if (dln && c.data.dataset !== 'dln-synthetic') {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'dataset'],
        message: 'the dln25 network trains on the dln-synthetic task; set data.dataset=dln-synthetic',
      });
    }
    if (c.data.dataset === 'dln-synthetic' && c.model.network.startsWith('vgg')) {
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'network'],
        message: 'VGG networks need images; set data.dataset=cifar10 or choose dln25/mlp',
      });
    }
    if (c.data.dataset === 'dln-synthetic' && dln && c.data.dim !== 10) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'dim'],
        message: 'dln25 has 10x10 layers; data.dim must be 10',
      });
    }
  });

/** A config as a user writes it (defaults may be left out). */
export type ExperimentInput = z.input<typeof experimentSchema>;
/** A config with every default filled in: what the engine runs and the store keeps. */
export type ExperimentConfig = z.output<typeof experimentSchema>;
export type ModelConfig = ExperimentConfig['model'];
export type DataConfig = ExperimentConfig['data'];
export type OptimizerConfig = ExperimentConfig['optimizer'];
export type ScheduleConfig = ExperimentConfig['schedule'];
export type NoisyBatchNormConfig = ModelConfig['noisy'];
export type LpNormConfig = ModelConfig['lp'];
export type { ProbesConfig, ProbeName, ProbeRecord } from './probes';

/**
 * Normalizable layers of a network (PAPER.md section 1: conv, then hidden linear), numbered 1..count;
 * the output layer (count + 1) is never normalized.
 */
export function normalizableLayerCount(model: Pick<ModelConfig, 'network' | 'hidden'>): number {
  switch (model.network) {
    case 'vgg16':
      return 13;
    case 'vgg-mini':
      return 4;
    case 'vgg-tiny':
      return 3;
    case 'dln25':
      return 24;
    case 'mlp':
      return model.hidden.length;
  }
}
