/**
 * Loss slices (beyond the paper; Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"):
 * L(w + alpha d1 (+ beta d2)) over a grid, at a stored checkpoint w of a run, along random
 * filter-normalized directions d1, d2. A slice is a job of its own: its settings and direction seeds
 * are stored with it, every grid point is stored as it is computed, and an interrupted job resumes
 * where it stopped.
 */
import { z } from 'zod';

export const sliceSettingsSchema = z
  .object({
    /** 1: a curve along d1; 2: a surface over d1 and d2. */
    dims: z.union([z.literal(1), z.literal(2)]).default(1),
    /** The grid: `points` values of alpha (and beta) evenly spaced over [from, to]. */
    from: z.number().default(-1),
    to: z.number().default(1),
    points: z.number().int().min(2).max(201).default(21),
    /** Training minibatches 1..batches of the run (its own batches): the loss is their mean. */
    batches: z.number().int().min(1).max(1000).default(2),
    /** Seeds of d1 and d2 (filter-normalized Gaussian directions). */
    seeds: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).default([1, 2]),
  })
  .strict()
  .refine((s) => s.from < s.to, { message: 'from must be less than to' });

export type SliceSettings = z.output<typeof sliceSettingsSchema>;

export type SliceStatus = 'queued' | 'running' | 'stopped' | 'completed' | 'failed';

export interface SliceJob {
  id: string;
  runId: string;
  /** The checkpoint step the weights w come from. */
  step: number;
  settings: SliceSettings;
  status: SliceStatus;
  createdAt: number;
  updatedAt: number;
  error: string | null;
  /** Grid points stored so far, and in all (points, or points^2 for a surface). */
  done: number;
  total: number;
}

export interface SlicePoint {
  /** alpha index (0-based) and beta index (0 for a curve). */
  i: number;
  j: number;
  alpha: number;
  beta: number;
  loss: number;
}

/** The grid's alpha (and beta) values, from..to inclusive. */
export function sliceAxis(s: Pick<SliceSettings, 'from' | 'to' | 'points'>): number[] {
  return linspace(s.from, s.to, s.points);
}

/** n evenly spaced values from `from` to `to`, both included ([from] for n = 1, [] for n < 1). */
export function linspace(from: number, to: number, n: number): number[] {
  if (n < 1) return [];
  if (n === 1) return [from];
  return Array.from({ length: n }, (_, k) => (k === n - 1 ? to : from + ((to - from) * k) / (n - 1)));
}

export function sliceTotal(s: Pick<SliceSettings, 'dims' | 'points'>): number {
  return s.dims === 1 ? s.points : s.points * s.points;
}
