/** The training benchmark of `npm run bench`: NormLab per backend, and the PyTorch peer, in one invocation. */
import type { BackendName, NormalizationName } from '../../shared/config';
import {
  benchBackend,
  defaultWasmThreads,
  type BackendBench,
  type BenchResult,
  type BenchSpec,
  type ProbeOverheadResult,
} from '../runs/benchRunner';
import { runTorchPeer, type TorchFigure, type TorchPeerResult } from '../runs/torchPeer';
import { describeBackends } from './machine';

export type { BackendBench, BenchResult, BenchSpec, ProbeOverheadResult, TorchFigure, TorchPeerResult };
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
}

export interface BenchmarkReport {
  network: 'vgg-mini';
  batchSize: number;
  backends: BackendBench[];
  torch: TorchPeerResult;
}

export async function runBenchmark(
  req: BenchmarkRequest,
  onProgress: (message: string) => void,
): Promise<BenchmarkReport> {
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
  return { network: 'vgg-mini', batchSize: req.batchSize, backends, torch };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
