/** The training benchmark of `npm run bench`: NormLab per backend, and the PyTorch peer, in one invocation. */
import type { BackendName, NormalizationName } from '../../shared/config';
import { benchBackend, type BackendBench, type BenchResult, type BenchSpec } from '../runs/benchRunner';
import { runTorchPeer, type TorchPeerResult } from '../runs/torchPeer';
import { describeBackends } from './machine';

export type { BackendBench, BenchResult, BenchSpec, TorchPeerResult };

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
  torchScript: string;
  torchThreads: number;
  python: string;
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
    onProgress(`measuring ${name}${software ? ' (software device, fewer steps)' : ''}...`);
    backends.push(
      await benchBackend(name, specs, (r) =>
        onProgress(`  ${name} ${r.normalization}: ${r.imagesPerSec.toFixed(1)} img/s`),
      ),
    );
  }
  onProgress('measuring the PyTorch peer...');
  const torch = await runTorchPeer(req.torchScript, req.torchThreads, req.python);
  return { network: 'vgg-mini', batchSize: req.batchSize, backends, torch };
}
