/**
 * Messages between the runs layer (main thread) and the engine's worker thread. The engine is reached
 * only through these.
 */
import type { BackendName, ExperimentConfig } from '../../shared/config';
import type { BackendInfo } from '../../shared/events';
import type {
  BenchResult,
  BenchSpec,
  ProbeOverheadResult,
  ProbeOverheadSpec,
} from '../engine/training/benchmark';
import type { ErrorInfo } from '../../shared/errors';
import type { SliceSettings } from '../../shared/slices';
import type { RunEvent } from '../../shared/events';
import type { BackendReport } from '../engine/backends/types';

export type HostToWorker =
  | { type: 'train'; config: ExperimentConfig; resumeFrom?: Uint8Array }
  | { type: 'control'; action: 'pause' | 'resume' | 'stop' }
  | { type: 'describe-backends' }
  | { type: 'bench'; backend: BackendName; specs: BenchSpec[]; probeSpecs?: ProbeOverheadSpec[] }
  /** A loss-slice job at a checkpoint; `stored` lists the grid points (i, j) it already has. */
  | {
      type: 'slice';
      config: ExperimentConfig;
      checkpoint: Uint8Array;
      settings: SliceSettings;
      stored: [number, number][];
    };

export type WorkerToHost =
  | { type: 'event'; event: RunEvent }
  | { type: 'checkpoint'; step: number; bytes: Uint8Array }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'backends'; reports: BackendReport[] }
  | { type: 'bench'; backend: BackendInfo; result: BenchResult }
  | { type: 'probe-bench'; backend: BackendInfo; result: ProbeOverheadResult }
  | { type: 'slice-started'; backend: BackendInfo }
  | { type: 'slice-point'; i: number; j: number; loss: number }
  | { type: 'slice-ended'; outcome: 'completed' | 'stopped' };
