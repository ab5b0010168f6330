/**
 * The probes of PAPER.md section 4 as a run configures and records them. Each probe has its own
 * cadence (`every`: a step count, 0 = off) and, where it looks at layers, its own layer selection
 * (1-based normalizable layers; empty = every layer). Probes never change training: they run on the
 * step's own minibatch with BN in train mode and leave running estimates, optimizer state and the
 * random streams untouched.
 */
import { z } from 'zod';
import { anyNumber } from './numbers';

const every = z.number().int().nonnegative().default(0);
const layers = z.array(z.number().int().positive()).default([]);

export const probesSchema = z
  .object({
    /** Internal covariate shift, Definition 2.1: ||G_i - G'_i|| and cos(G_i, G'_i) per probed layer. */
    ics: z.object({ every, layers }).strict().prefault({}),
    /**
     * Loss landscape along the gradient (Fig 4): L(w - eta g) and ||grad L(w - eta g) - g|| over the eta
     * grid eta = lr x multiplier. Empty multipliers: VGG/MLP {1/2, 1, 2, 4}, DLN {1/100, 1/10, 1, 10, 30}.
     */
    landscape: z
      .object({ every, etaMultipliers: z.array(z.number().positive()).default([]) })
      .strict()
      .prefault({}),
    /**
     * Activation distributions (Figs 1, 2, 6, 8, 9): per probed layer one fixed random unit, a
     * histogram of its pre-ReLU values over N (and H, W), with its mean and variance.
     */
    activations: z
      .object({ every, layers, bins: z.number().int().min(2).max(1000).default(40) })
      .strict()
      .prefault({}),
    /** Per-layer gradient and weight norms; 'train' = at the train-metric cadence (on by default). */
    norms: z
      .object({ every: z.union([z.literal('train'), z.number().int().nonnegative()]).default('train') })
      .strict()
      .prefault({}),
    /** Theorem 4.1's decomposition of ||dL/dy||^2 per BN layer (batch and noisy-batch networks). */
    bnGradients: z.object({ every, layers }).strict().prefault({}),
    /**
     * Beyond the paper: the top Hessian eigenvalue (power iteration on Hessian-vector products) and
     * the Hessian trace (Hutchinson, Rademacher vectors).
     */
    hessian: z
      .object({
        every,
        /** Power iteration stops when |lambda_k - lambda_{k-1}| <= tolerance |lambda_k|, or at maxIterations. */
        maxIterations: z.number().int().positive().default(20),
        tolerance: z.number().positive().default(1e-3),
        /** Rademacher vectors for Hutchinson's trace estimate; 0 skips the trace. */
        traceSamples: z.number().int().nonnegative().default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ProbesConfig = z.output<typeof probesSchema>;
export type ProbeName = keyof ProbesConfig;
export const PROBE_NAMES = Object.keys(probesSchema.shape) as ProbeName[];

// ---- structured records --------------------------------------------------------------------------
// What a scalar series cannot hold (a histogram with its bin edges, the per-eta points of the
// landscape, per-unit terms), stored per run and step: one schema per probe for exactly what its
// engine module (src/main/engine/probes) writes. Values may be NaN or +-Infinity (a diverging eta, a
// zero gradient's cosine): JSON cannot hold them, the store keeps them as strings and reads them back.

const value = anyNumber;
const values = z.array(anyNumber);
const count = z.number().int().nonnegative();
const layer = z.number().int().positive();
/** Marks a variant that was computed: its `error` is absent, so `data.error` tells the two apart. */
const noError = z.undefined().optional();

/** The probe could not be computed at this step (it threw, the step diverged, no BN layer), and why. */
export const probeErrorSchema = z.object({ error: z.string() }).strict();
export type ProbeError = z.infer<typeof probeErrorSchema>;

/** internalCovariateShift.ts: per probed layer (same order), ||G - G'||, cos(G, G'), ||G||, ||G'||. */
export const icsDataSchema = z
  .object({
    layers: z.array(layer),
    l2: values,
    /** NaN where either gradient is zero. */
    cos: values,
    gradNorm: values,
    shiftedGradNorm: values,
    error: noError,
  })
  .strict();

/**
 * landscape.ts: L(w - eta g) and ||grad L(w - eta g) - g|| over eta = lr x multipliers. `error` when no
 * eta gave a finite loss (no band then); the per-eta points are kept either way.
 */
export const landscapeDataSchema = z
  .object({
    lr: value,
    multipliers: values,
    etas: values,
    losses: values,
    gradChanges: values,
    gradNorm: value,
    /** L(w), the step's own loss. */
    loss: value,
    error: z.string().optional(),
  })
  .strict();

/** activations.ts: the histogram of one layer's probed unit (`bins` counts between bins + 1 edges). */
export const activationsDataSchema = z
  .object({
    layer,
    unit: count,
    edges: values,
    counts: z.array(count),
    /** Values summarized: N, or N x H x W for a conv layer. */
    count,
    mean: value,
    variance: value,
    min: value,
    max: value,
    /** Every value equal: the edges span [min - 0.5, max + 0.5]. */
    degenerate: z.boolean(),
    error: noError,
  })
  .strict();

/** activations.ts, when the probed unit had non-finite values: no histogram. */
export const activationsErrorSchema = z.object({ layer, unit: count, count, error: z.string() }).strict();

/**
 * bnGradientDecomposition.ts: Theorem 4.1's per-unit terms of one BN layer (m values per unit, the
 * norm's eps); `error` when a term was not finite (no points then, the arrays kept).
 */
export const bnGradientsDataSchema = z
  .object({
    layer,
    m: count,
    eps: value,
    factor: values,
    gradOutSq: values,
    meanTerm: values,
    projTerm: values,
    gradInSq: values,
    variance: values,
    gradInSqPredicted: values,
    error: z.string().optional(),
  })
  .strict();

/** hessian.ts: the power iteration's eigenvalue estimates and Hutchinson's trace samples. */
export const hessianDataSchema = z
  .object({
    /** Finite differences of gradients: the step relative to ||w||. */
    relStep: value,
    eigenvalues: values,
    iterations: count,
    converged: z.boolean(),
    traceSamples: values.optional(),
    trace: value.optional(),
    traceStderr: value.optional(),
    error: noError,
  })
  .strict();

/** hessian.ts, stopped by a non-finite loss or product: what it had computed until then. */
export const hessianErrorSchema = z
  .object({
    relStep: value,
    eigenvalues: values.optional(),
    iterations: count.optional(),
    converged: z.boolean().optional(),
    traceSamples: values.optional(),
    error: z.string(),
  })
  .strict();

/** Each probe's record data, by the probe's name (its config key, ARCHITECTURE.md "Naming"). */
export const probeDataSchemas = {
  ics: z.union([icsDataSchema, probeErrorSchema]),
  landscape: z.union([landscapeDataSchema, probeErrorSchema]),
  activations: z.union([activationsDataSchema, activationsErrorSchema, probeErrorSchema]),
  /** The norms probe writes points only: a record only when it could not be computed. */
  norms: probeErrorSchema,
  bnGradients: z.union([bnGradientsDataSchema, probeErrorSchema]),
  hessian: z.union([hessianDataSchema, hessianErrorSchema, probeErrorSchema]),
} satisfies Record<ProbeName, z.ZodType>;

export type ProbeData<P extends ProbeName> = z.infer<(typeof probeDataSchemas)[P]>;
export type IcsData = z.infer<typeof icsDataSchema>;
export type LandscapeData = z.infer<typeof landscapeDataSchema>;
export type ActivationsData = z.infer<typeof activationsDataSchema>;
export type ActivationsError = z.infer<typeof activationsErrorSchema>;
export type BnGradientsData = z.infer<typeof bnGradientsDataSchema>;
export type HessianData = z.infer<typeof hessianDataSchema>;
export type HessianError = z.infer<typeof hessianErrorSchema>;

const step = z.number().int().nonnegative();
const recordOf = <P extends ProbeName>(probe: P) =>
  z.object({ probe: z.literal(probe), step, data: probeDataSchemas[probe] });

/** A structured probe result of one step, discriminated by `probe`. */
export const probeRecordSchema = z.discriminatedUnion('probe', [
  recordOf('ics'),
  recordOf('landscape'),
  recordOf('activations'),
  recordOf('norms'),
  recordOf('bnGradients'),
  recordOf('hessian'),
]);
export type ProbeRecord = z.infer<typeof probeRecordSchema>;
