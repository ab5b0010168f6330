/**
 * What a training run reports while it runs. The engine emits these inside its worker thread; the runs
 * layer persists them and forwards them to hosts (CLI progress bar, Electron/serve live charts). Each
 * has a zod schema so it can be checked where it crosses a process boundary (IPC, WebSocket).
 */
import { z } from 'zod';
import type { BackendInfo } from './backends';
import { CONCRETE_BACKENDS } from './config';
import { USER_ERROR_CODES } from './errors';
import { anyNumber } from './numbers';
import { probeRecordSchema } from './probes';

export type { BackendInfo };

export const backendInfoSchema = z.object({
  name: z.enum(CONCRETE_BACKENDS),
  device: z.string(),
  software: z.boolean(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

export const errorInfoSchema = z.object({
  code: z.enum([...USER_ERROR_CODES, 'internal']),
  message: z.string(),
  stack: z.string().optional(),
});

// Its home is numbers.ts (probes.ts needs it too, and events.ts imports probes.ts).
export { anyNumber };

/** One value of a metric series at a step; the value may be NaN or +-Infinity (a diverged run). */
export const metricPointSchema = z.object({
  series: z.string(),
  step: z.number().int().nonnegative(),
  value: anyNumber,
});
export type MetricPoint = z.infer<typeof metricPointSchema>;

/** The statuses a run can end in (before that it is queued, running or paused). */
export const RUN_OUTCOMES = ['completed', 'diverged', 'stopped', 'failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

const finiteOrNull = anyNumber.nullable();

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    backend: backendInfoSchema,
    fromStep: z.number().int().nonnegative(),
    totalSteps: z.number().int().positive(),
    parameters: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('progress'),
    step: z.number().int().nonnegative(),
    totalSteps: z.number().int().positive(),
    loss: anyNumber,
    accuracy: finiteOrNull,
    examplesPerSec: z.number(),
    /** Seconds of work left: training steps, evaluations and probes. */
    etaSec: finiteOrNull,
  }),
  z.object({
    type: z.literal('metrics'),
    points: z.array(metricPointSchema),
    /**
     * When the worker emitted the event (Date.now(), ms since the epoch): the live-latency benchmark
     * measures from here to the point drawn in the page. Optional: older emitters leave it out.
     */
    emittedAt: z.number().optional(),
  }),
  /** Structured probe results of one step (their scalars come as `metrics`). */
  z.object({
    type: z.literal('probes'),
    step: z.number().int().nonnegative(),
    records: z.array(probeRecordSchema),
  }),
  z.object({ type: z.literal('paused'), step: z.number().int().nonnegative() }),
  z.object({ type: z.literal('resumed'), step: z.number().int().nonnegative() }),
  z.object({
    type: z.literal('ended'),
    outcome: z.enum(RUN_OUTCOMES),
    step: z.number().int().nonnegative(),
    divergedAtStep: z.number().int().nonnegative().optional(),
    error: errorInfoSchema.optional(),
  }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
