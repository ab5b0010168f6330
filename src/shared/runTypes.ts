/**
 * Stored runs as the CLI, the API and the renderer see them. The store (src/main/store) writes and
 * reads these; everything here is plain data so it crosses IPC and worker boundaries unchanged.
 */
import { z } from 'zod';
import type { ProbeRecord } from './probes';

/**
 * A run's lifecycle: queued -> running <-> paused -> one of the finished statuses. `interrupted` marks
 * a run whose process died while it was queued, running or paused (found when the store is next
 * opened); it can be resumed from its latest checkpoint. (A queued run of a dead app or serve stays
 * queued instead: the next app or serve adopts it into its queue.)
 */
export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'diverged',
  'failed',
  'stopped',
  'interrupted',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const runStatusSchema = z.enum(RUN_STATUSES);

/** The statuses a run ends in; `finish` moves a run to one of these, once. */
export const FINISHED_RUN_STATUSES = ['completed', 'diverged', 'failed', 'stopped'] as const;
export type FinishedRunStatus = (typeof FINISHED_RUN_STATUSES)[number];

export function isFinishedStatus(status: RunStatus): status is FinishedRunStatus {
  return (FINISHED_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** Statuses held by a live process (the run's owner); if that process dies they become `interrupted`. */
export const LIVE_RUN_STATUSES = ['queued', 'running', 'paused'] as const;

/**
 * One run. Times are milliseconds since the Unix epoch. `config` is the experiment config exactly as
 * it was stored; it was valid for the NormLab that wrote it, so parse it with the current schema
 * before relying on its shape (the type parameter is for callers that have done so).
 */
export interface RunRecord<TConfig = unknown> {
  /** Short id: 8 lowercase base-36 characters. */
  id: string;
  name: string;
  config: TConfig;
  status: RunStatus;
  /** The backend and device the run actually used (set when it starts running). */
  backend: string | null;
  device: string | null;
  /** True when the device is a software rasterizer (correct but slow). */
  softwareDevice: boolean | null;
  seed: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** The last training step the run reported. */
  lastStep: number | null;
  error: string | null;
  divergedAtStep: number | null;
  /** The run this one continues or was derived from, if any. */
  parentId: string | null;
  /** The checkpoint step this run started from, when it was resumed. */
  resumedFromStep: number | null;
  /** Groups the runs of one sweep. */
  sweepId: string | null;
}

export interface RunListFilter {
  status?: RunStatus | readonly RunStatus[];
  sweepId?: string;
  parentId?: string;
  /** At most this many runs (newest first). */
  limit?: number;
  offset?: number;
}

/** A metric series of a run, e.g. 'train/loss', with the step range it covers. */
export interface SeriesSummary {
  name: string;
  firstStep: number;
  lastStep: number;
}

/**
 * One bucket of a downsampled series: the steps [stepFrom, stepTo] of the requested range, with the
 * smallest and largest finite value there, the last value (which may be NaN or +-Infinity), and the
 * steps they occur at. `min`/`max` (and their steps) are null when the bucket holds no finite value.
 */
export interface SeriesBucket {
  stepFrom: number;
  stepTo: number;
  min: number | null;
  minStep: number | null;
  max: number | null;
  maxStep: number | null;
  last: number;
  lastStep: number;
}

/** One point of a run's metric history, for export (CSV/JSON). */
export interface MetricRow {
  series: string;
  step: number;
  value: number;
  /** Wall time the point was recorded, ms since the epoch. */
  time: number;
}

export interface CheckpointInfo {
  step: number;
  createdAt: number;
  /** Size of the checkpoint bytes. */
  size: number;
}

export const RUN_LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type RunLogLevel = (typeof RUN_LOG_LEVELS)[number];

/** A line of a run's log (backend chosen, paused, resumed, warnings, the error that ended it). */
/** A probe record as stored: ProbeRecord plus the wall time it was written (ms since the epoch). */
export type StoredProbeRecord = ProbeRecord & { time: number };

export interface RunLogEntry {
  id: number;
  runId: string;
  time: number;
  level: RunLogLevel;
  message: string;
  data: unknown;
}
