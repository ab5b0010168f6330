/**
 * Messages between the runs layer (main thread) and the engine's worker thread (engine/worker.ts).
 * The runs layer reaches the engine only through these.
 */
import type { Threads } from './api';
import type { BackendReport } from './backends';
import type {
  BenchResult,
  BenchSpec,
  OpBenchSpec,
  OpTiming,
  ProbeOverheadResult,
  ProbeOverheadSpec,
} from './bench';
import type { BackendName, ExperimentConfig } from './config';
import type { ErrorInfo } from './errors';
import type { BackendInfo, RunEvent } from './events';
import type { SliceSettings } from './slices';

export type HostToWorker =
  /**
   * `threads`: the wasm backend's thread count ('auto': one thread for tiny networks, else every
   * core); absent, NORMLAB_WASM_THREADS in the worker's environment decides.
   */
  | { type: 'train'; config: ExperimentConfig; resumeFrom?: Uint8Array; threads?: Threads }
  | { type: 'control'; action: 'pause' | 'resume' | 'stop' }
  /** `threads`: the wasm thread count whose backend the report describes (as for `train`). */
  | { type: 'describe-backends'; threads?: Threads }
  | {
      type: 'bench';
      backend: BackendName;
      specs: BenchSpec[];
      probeSpecs?: ProbeOverheadSpec[];
      threads?: Threads;
    }
  /** The per-op benchmark (engine/training/opBenchmark.ts) of each spec on `backend`. */
  | { type: 'op-bench'; backend: BackendName; specs: OpBenchSpec[]; threads?: Threads }
  /** A loss-slice job at a checkpoint; `stored` lists the grid points (i, j) it already has. */
  | {
      type: 'slice';
      config: ExperimentConfig;
      checkpoint: Uint8Array;
      settings: SliceSettings;
      stored: [number, number][];
      threads?: Threads;
    };

export type WorkerToHost =
  | { type: 'event'; event: RunEvent }
  | { type: 'checkpoint'; step: number; bytes: Uint8Array }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'backends'; reports: BackendReport[] }
  | { type: 'bench'; backend: BackendInfo; result: BenchResult }
  | { type: 'probe-bench'; backend: BackendInfo; result: ProbeOverheadResult }
  /** One op's timing of an 'op-bench' job, sent as soon as it is measured. */
  | { type: 'op-timing'; backend: BackendInfo; timing: OpTiming }
  | { type: 'slice-started'; backend: BackendInfo }
  | { type: 'slice-point'; i: number; j: number; loss: number }
  | { type: 'slice-ended'; outcome: 'completed' | 'stopped' };
