/**
 * What the training and probe-overhead benchmarks measure (engine/training/benchmark.ts) and report
 * back across the worker boundary to the runs layer and the hosts.
 */
import type { NetworkName, NormalizationName } from './config';
import type { ProbeName } from './probes';

export interface BenchSpec {
  network: NetworkName;
  normalization: NormalizationName;
  batchSize: number;
  warmupSteps: number;
  timedSteps: number;
}

export interface BenchResult extends BenchSpec {
  msPerStep: number;
  imagesPerSec: number;
  gflops: number;
}

export interface ProbeOverheadSpec {
  /** A preset whose probes are measured (its network, normalization and probe set). */
  preset: string;
  batchSize: number;
  warmupSteps: number;
  /** Steps without probes (the baseline), then steps with every probe of the preset due. */
  timedSteps: number;
}

export interface ProbeCost {
  probe: ProbeName;
  /** Mean wall time per probing step, ms. */
  ms: number;
  /** The preset's cadence of the probe (steps between two runs of it). */
  every: number;
  forwardPasses: number;
  backwardPasses: number;
  /** ms / (every x the plain step time): this probe's share of the training time. */
  overhead: number;
}

export interface ProbeOverheadResult extends ProbeOverheadSpec {
  network: NetworkName;
  normalization: NormalizationName;
  /** Mean wall time of a training step without probes, ms. */
  stepMs: number;
  probes: ProbeCost[];
  /** Sum of the probes' overheads: the extra wall time at the preset's cadences, over training alone. */
  overhead: number;
}
