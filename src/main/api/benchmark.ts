/** The training benchmark of `npm run bench`: NormLab per backend, and the PyTorch peer, in one invocation. */
import type { OpShapeSet } from '../../shared/bench';
import { experimentSchema, type BackendName, type NormalizationName } from '../../shared/config';
import { UserError } from '../../shared/errors';
import { findPreset, PRESETS } from '../../shared/presets';
import {
  benchBackend,
  benchOps,
  defaultWasmThreads,
  type BackendBench,
  type BenchResult,
  type BenchSpec,
  type OpsBench,
  type OpTiming,
  type ProbeOverheadResult,
} from '../runs/benchRunner';
import { runTorchOpsPeer, type TorchOpsResult } from '../runs/torchOpsPeer';
import { runTorchPeer, type TorchFigure, type TorchPeerResult } from '../runs/torchPeer';
import { describeBackends } from './machine';

export type {
  BackendBench,
  BenchResult,
  BenchSpec,
  OpsBench,
  OpTiming,
  ProbeOverheadResult,
  TorchFigure,
  TorchOpsResult,
  TorchPeerResult,
};
export { defaultWasmThreads };

export interface BenchmarkRequest {
  /**
   * Backends to measure; default: every available one except `cpu` (a reference, far too slow) and
   * software GPUs (Mesa llvmpipe: minutes per vgg-mini step).
   */
  backends?: BackendName[];
  normalizations: NormalizationName[];
  batchSize: number;
  warmupSteps: number;
  timedSteps: number;
  /** Steps on a software GPU (Mesa llvmpipe), which is orders of magnitude slower. */
  softwareTimedSteps: number;
  /** wasm is measured once per entry, with that many threads (default: every core, then 1). */
  wasmThreads?: number[];
  torchScript: string;
  /** The peer runs once per entry (default: 1 thread, the reference, then every core). */
  torchThreads?: number[];
  python: string;
  /**
   * The preset whose probe set is measured for its wall-time overhead (on each backend's first
   * configuration); none when absent.
   */
  probePreset?: string;
  /** Steps with and without probes in the overhead measurement. */
  probeSteps?: number;
  /**
   * Presets whose model is measured at its own batch size, plain training steps without probes, on
   * wasm with each of the wasm thread counts (when wasm is among the backends); none when absent.
   */
  presets?: string[];
}

export interface BenchmarkReport {
  network: 'vgg-mini';
  batchSize: number;
  backends: BackendBench[];
  torch: TorchPeerResult;
  /** The presets' throughput on wasm, one worker per thread count; absent when none was asked for. */
  presets?: BackendBench[];
}

/**
 * The CPU-scale presets (named *-cpu; today vgg16-plain-cpu and vgg16-bn-cpu, VGG16 at width 1/4),
 * those on CIFAR-10: the benchmark feeds 32x32x3 images.
 */
export function cpuScalePresets(): string[] {
  return PRESETS.filter(
    (p) => p.name.endsWith('-cpu') && experimentSchema.parse(p.config).data.dataset === 'cifar10',
  ).map((p) => p.name);
}

/** A plain training step of `name`'s model at its batch size (benchmarkTraining). */
export function presetBenchSpec(name: string, warmupSteps: number, timedSteps: number): BenchSpec {
  const preset = findPreset(name);
  if (!preset) throw new UserError('usage', `unknown preset "${name}" (see \`normlab presets\`)`);
  const { model, data, schedule } = experimentSchema.parse(preset.config);
  if (data.dataset !== 'cifar10') {
    throw new UserError(
      'usage',
      `${name} is not a CIFAR-10 preset; the training benchmark feeds 32x32x3 images`,
    );
  }
  return {
    preset: name,
    network: model.network,
    normalization: model.normalization,
    widthMultiplier: model.widthMultiplier,
    batchSize: schedule.batchSize,
    warmupSteps,
    timedSteps,
  };
}

export async function runBenchmark(
  req: BenchmarkRequest,
  onProgress: (message: string) => void,
): Promise<BenchmarkReport> {
  // Before anything is measured: an unknown preset is a usage error.
  const presetSpecs = (req.presets ?? []).map((p) => presetBenchSpec(p, req.warmupSteps, req.timedSteps));
  const reports = await describeBackends();
  const chosen =
    req.backends ?? reports.filter((r) => r.available && r.name !== 'cpu' && !r.software).map((r) => r.name);
  const cores = defaultWasmThreads();
  const wasmThreads = unique(req.wasmThreads ?? [cores, 1]);
  const torchThreads = unique(req.torchThreads ?? [1, cores]);
  const backends: BackendBench[] = [];
  for (const name of chosen) {
    const software = reports.find((r) => r.name === name)?.software === true;
    const specs: BenchSpec[] = req.normalizations.map((normalization) => ({
      network: 'vgg-mini',
      normalization,
      batchSize: req.batchSize,
      warmupSteps: software ? 1 : req.warmupSteps,
      timedSteps: software ? req.softwareTimedSteps : req.timedSteps,
    }));
    const configurations = name === 'wasm' ? wasmThreads : [undefined];
    for (const [k, threads] of configurations.entries()) {
      const label = threads === undefined ? name : `${name} with ${threads} thread(s)`;
      onProgress(`measuring ${label}${software ? ' (software device, fewer steps)' : ''}...`);
      backends.push(
        await benchBackend(
          name,
          specs,
          (r) => onProgress(`  ${label} ${r.normalization}: ${r.imagesPerSec.toFixed(1)} img/s`),
          threads,
          k === 0 && req.probePreset && !software
            ? [
                {
                  preset: req.probePreset,
                  batchSize: req.batchSize,
                  warmupSteps: 1,
                  timedSteps: req.probeSteps ?? 3,
                },
              ]
            : [],
        ),
      );
    }
  }
  let presets: BackendBench[] | undefined;
  if (presetSpecs.length > 0 && chosen.includes('wasm')) {
    presets = [];
    for (const threads of wasmThreads) {
      onProgress(`measuring ${req.presets?.join(', ')} on wasm with ${threads} thread(s)...`);
      presets.push(
        await benchBackend(
          'wasm',
          presetSpecs,
          (r) =>
            onProgress(`  wasm with ${threads} thread(s) ${r.preset}: ${r.imagesPerSec.toFixed(1)} img/s`),
          threads,
        ),
      );
    }
  }
  const figures: TorchFigure[] = [];
  const errors: string[] = [];
  for (const threads of torchThreads) {
    onProgress(`measuring the PyTorch peer with ${threads} thread(s)...`);
    const peer = await runTorchPeer(req.torchScript, threads, req.python);
    figures.push(...peer.figures);
    if (peer.error !== undefined) errors.push(peer.error);
  }
  const torch: TorchPeerResult =
    errors.length > 0 ? { figures, error: unique(errors).join('; ') } : { figures };
  return { network: 'vgg-mini', batchSize: req.batchSize, backends, torch, ...(presets ? { presets } : {}) };
}

export interface OpBenchmarkRequest {
  shapeSets: OpShapeSet[];
  /** NormLab's wasm and the per-op peer are measured once per entry, with that many threads. */
  threads: number[];
  batchSize: number;
  warmup: number;
  /** Timed calls per op, of which the median is reported. */
  reps: number;
  /** bench/torch_ops.py. */
  torchOpsScript: string;
  python: string;
}

/** One thread count: NormLab's kernels on wasm and PyTorch's on the same ops and shapes. */
export interface OpBenchRun {
  threads: number;
  normlab: OpsBench;
  torch: TorchOpsResult;
}

export interface OpBenchmarkReport {
  backend: 'wasm';
  shapeSets: OpShapeSet[];
  batchSize: number;
  warmup: number;
  reps: number;
  runs: OpBenchRun[];
}

/**
 * The per-op benchmark of `npm run bench`: for each thread count, the ops of one training step on
 * wasm in a fresh engine worker (whatever kernels are registered there), then the PyTorch peer on
 * the same shapes with as many threads.
 */
export async function runOpBenchmark(
  req: OpBenchmarkRequest,
  onProgress: (message: string) => void,
): Promise<OpBenchmarkReport> {
  const specs = req.shapeSets.map((shapeSet) => ({
    shapeSet,
    batchSize: req.batchSize,
    warmup: req.warmup,
    reps: req.reps,
  }));
  const runs: OpBenchRun[] = [];
  for (const threads of unique(req.threads)) {
    onProgress(`timing the ops of a training step on wasm with ${threads} thread(s)...`);
    const normlab = await benchOps('wasm', specs, threads, (t) =>
      onProgress(`  ${t.shapeSet} ${t.op} layer ${t.layer}: ${t.ms.toFixed(1)} ms`),
    );
    onProgress(`timing the same ops in PyTorch with ${threads} thread(s)...`);
    const torch = await runTorchOpsPeer(
      req.torchOpsScript,
      threads,
      { shapeSets: req.shapeSets, batchSize: req.batchSize, warmup: req.warmup, reps: req.reps },
      req.python,
    );
    runs.push({ threads, normlab, torch });
  }
  return {
    backend: 'wasm',
    shapeSets: req.shapeSets,
    batchSize: req.batchSize,
    warmup: req.warmup,
    reps: req.reps,
    runs,
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
