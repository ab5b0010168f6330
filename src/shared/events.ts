/**
 * What a training run reports while it runs. The engine emits these inside its worker thread; the runs
 * layer persists them and forwards them to hosts (CLI progress bar, Electron/serve live charts).
 */
import type { BackendInfo } from './backends';
import type { ErrorInfo } from './errors';
import type { ProbeRecord } from './probes';

export type { BackendInfo };

export interface MetricPoint {
  series: string;
  step: number;
  value: number;
}

/** The statuses a run can end in (before that it is queued, running or paused). */
export type RunOutcome = 'completed' | 'diverged' | 'stopped' | 'failed';

export type RunEvent =
  | { type: 'started'; backend: BackendInfo; fromStep: number; totalSteps: number; parameters: number }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      loss: number;
      accuracy: number | null;
      examplesPerSec: number;
      etaSec: number | null;
    }
  | { type: 'metrics'; points: MetricPoint[] }
  /** Structured probe results of one step (their scalars come as `metrics`). */
  | { type: 'probes'; step: number; records: ProbeRecord[] }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'ended'; outcome: RunOutcome; step: number; divergedAtStep?: number; error?: ErrorInfo };
