/**
 * The probes of PAPER.md section 4 as a run configures and records them. Each probe has its own
 * cadence (`every`: a step count, 0 = off) and, where it looks at layers, its own layer selection
 * (1-based normalizable layers; empty = every layer). Probes never change training: they run on the
 * step's own minibatch with BN in train mode and leave running estimates, optimizer state and the
 * random streams untouched.
 */
import { z } from 'zod';

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

/**
 * A structured probe result (what a scalar series cannot hold: a histogram with its bin edges, the
 * per-eta points of the landscape, per-unit terms), stored per run and step.
 */
export const probeRecordSchema = z.object({
  probe: z.enum(PROBE_NAMES as [ProbeName, ...ProbeName[]]),
  step: z.number().int().nonnegative(),
  /** JSON-serializable; `error` set when the probe could not be computed at this step. */
  data: z.record(z.string(), z.unknown()),
});
export type ProbeRecord = z.infer<typeof probeRecordSchema>;
