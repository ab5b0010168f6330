/**
 * `normlab reproduce` and the Reproduction view as data: the options (scale, one figure, a reading),
 * the plan with each run's state and time estimate, what a start did, the claims' verdicts with their
 * numbers, and the report a reproduction writes. The main process computes all of it
 * (src/main/api/reproduce/); the CLI prints it and the view draws it.
 */
import { z } from 'zod';
import { BACKENDS } from './config';

/**
 * - smoke: the pipeline end to end in about a minute (a few steps per run, tiny widths): checks a
 *   machine's setup and the report; its numbers mean nothing.
 * - quick: every figure and panel in under 10 minutes on a 2-core machine, a first look.
 * - cpu: the reproduction meant for a 2-core CPU machine, within 90 minutes.
 * - paper: PAPER.md section 2's full protocols, three seeds; meant for a GPU.
 */
export const REPRO_SCALES = ['smoke', 'quick', 'cpu', 'paper'] as const;
export type ReproScale = (typeof REPRO_SCALES)[number];

export function isReproScale(name: string): name is ReproScale {
  return (REPRO_SCALES as readonly string[]).includes(name);
}

export const reproOptionsSchema = z
  .object({
    scale: z.enum(REPRO_SCALES),
    /** One figure, `fig4` or `4`; every figure when absent. */
    only: z.string().min(1).max(20).optional(),
    /** A reading's name (shared/readings.ts); `spec` when absent. */
    reading: z.string().min(1).max(60).optional(),
  })
  .strict();
export type ReproOptions = z.input<typeof reproOptionsSchema>;

export const reproPlanParamsSchema = reproOptionsSchema
  .extend({
    /**
     * Time the kinds of run left that this machine has no stored timing for, with a short benchmark
     * of each (seconds to a minute), so the estimate covers every run.
     */
    calibrate: z.boolean().default(false),
    /** The backend the runs would use (default: the defaultBackend setting, else auto). */
    backend: z.enum(BACKENDS).optional(),
    /** The CIFAR-10 folder calibrations read (default: the setting, then the data directory). */
    dataDir: z.string().min(1).optional(),
  })
  .strict();

/** reproduce.start's parameters less `threads` (api.ts adds its threadsSchema). */
export const reproStartParamsSchema = reproOptionsSchema
  .extend({
    backend: z.enum(BACKENDS).optional(),
    /** CIFAR-10 folder for the VGG runs (default: the setting, then the data directory). */
    dataDir: z.string().min(1).optional(),
  })
  .strict();

export const PLANNED_RUN_STATES = ['done', 'active', 'resumable', 'to-run'] as const;

export const slotUseSchema = z.object({ template: z.string(), slot: z.string() });

export const plannedRunInfoSchema = z.object({
  /** The run's config key (a rerun finds the run by it). */
  key: z.string(),
  name: z.string(),
  network: z.enum(['vgg', 'dln']),
  seed: z.number().int(),
  /** Whether the reading's overrides apply to this run. */
  readingApplied: z.boolean(),
  /** Figure slots the run fills (one run can serve several figures). */
  uses: z.array(slotUseSchema),
  steps: z.number().int(),
  state: z.enum(PLANNED_RUN_STATES),
  /** The stored run found for it (absent for to-run). */
  runId: z.string().optional(),
  lastStep: z.number().int().nullable().optional(),
  /** Seconds still to train on this machine (0 when done); null without a basis. */
  estimateSec: z.number().nullable(),
  basis: z.string(),
});
export type PlannedRunInfo = z.infer<typeof plannedRunInfoSchema>;

export const planTotalSchema = z.object({
  scale: z.enum(REPRO_SCALES),
  runs: z.number().int(),
  /** Runs left to train (not done). */
  toTrain: z.number().int(),
  /** Seconds over the runs left that have an estimate. */
  knownSec: z.number(),
  /** Runs left without an estimate (no stored run of their kind on this machine yet). */
  unknownRuns: z.number().int(),
  /** knownSec when every run left has an estimate, else null. */
  totalSec: z.number().nullable(),
});
export type PlanTotal = z.infer<typeof planTotalSchema>;

export const reproPlanInfoSchema = z.object({
  scale: z.enum(REPRO_SCALES),
  reading: z.string(),
  only: z.string().nullable(),
  /** The tag every run of the reproduction carries: `repro:SCALE:READING`. */
  tag: z.string(),
  /** Figure templates covered, `fig1` ... */
  templates: z.array(z.string()),
  /** The claims the reproduction checks (ids, shared with reproResultsSchema). */
  claims: z.array(z.string()),
  /** How the scale departs from the paper's protocol. */
  departures: z.array(z.string()),
  runs: z.array(plannedRunInfoSchema),
  total: planTotalSchema,
  /** The same options' totals at the other scales, for comparison (`--plan` prints both). */
  otherScales: z.array(planTotalSchema),
});
export type ReproPlanInfo = z.infer<typeof reproPlanInfoSchema>;

export const reproStartResultSchema = z.object({
  tag: z.string(),
  /** Run ids in the order they train: new runs and resumed ones. */
  queued: z.array(z.string()),
  /** Of `queued`, the runs resumed from a checkpoint. */
  resumed: z.array(z.string()),
  /** Finished runs reused as they are (tagged). */
  reused: z.array(z.string()),
  /** Runs training in another process; the reproduction waits for them or reads them later. */
  elsewhere: z.array(z.string()),
});
export type ReproStartResult = z.infer<typeof reproStartResultSchema>;

export const VERDICTS = ['supported', 'not supported', 'inconclusive'] as const;

export const claimNumberSchema = z.object({
  name: z.string(),
  /** NaN travels as null. */
  value: z.number().nullable(),
  threshold: z.number(),
  compare: z.enum(['<=', '>=']),
  pass: z.boolean(),
});

export const claimResultSchema = z.object({
  claim: z.string(),
  /** The templates whose runs the claim reads. */
  figures: z.array(z.string()),
  statement: z.string(),
  verdict: z.enum(VERDICTS),
  numbers: z.array(
    claimNumberSchema.extend({
      /** What the criterion measures, in words. */
      description: z.string(),
    }),
  ),
  /** Runs read per slot `TEMPLATE/LABEL`. */
  seeds: z.record(z.string(), z.number().int()),
  /** What was missing (inconclusive only). */
  missing: z.array(z.string()),
  note: z.string().optional(),
});
export type ClaimResultInfo = z.infer<typeof claimResultSchema>;

export const reproResultsSchema = z.object({
  plan: reproPlanInfoSchema,
  /** Run ids per slot `TEMPLATE/LABEL` (the done runs only): a figure's `slots`, by template. */
  runsBySlot: z.record(z.string(), z.array(z.string())),
  claims: z.array(claimResultSchema),
  /** True when every planned run is done. */
  complete: z.boolean(),
});
export type ReproResults = z.infer<typeof reproResultsSchema>;

export const reproReportParamsSchema = reproOptionsSchema
  .extend({
    /** Folder to write into (created; files in it replaced); default `<data dir>/reports/<name>`. */
    outDir: z.string().min(1).optional(),
    /** PNG resolution. */
    dpi: z.number().int().min(36).max(1200).default(150),
  })
  .strict();

export const reproReportSchema = z.object({
  dir: z.string(),
  /** The HTML page, absolute. */
  index: z.string(),
  /** Every file written, relative to dir. */
  files: z.array(z.string()),
  claims: z.array(z.object({ claim: z.string(), verdict: z.enum(VERDICTS) })),
  complete: z.boolean(),
});
export type ReproReport = z.infer<typeof reproReportSchema>;

export const reproCatalogSchema = z.object({
  scales: z.array(z.object({ scale: z.enum(REPRO_SCALES), departures: z.array(z.string()) })),
  readings: z.array(z.object({ name: z.string(), description: z.string(), overrides: z.array(z.string()) })),
  /** Figures `--only` takes: `fig1`, `fig2`, ... */
  figures: z.array(z.string()),
  claims: z.array(z.object({ id: z.string(), figures: z.array(z.string()), statement: z.string() })),
});
export type ReproCatalog = z.infer<typeof reproCatalogSchema>;
