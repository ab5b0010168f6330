import { describe, expect, it } from 'vitest';
import type { BenchmarkReport } from '../../../../src/main/api/benchmark';
import {
  benchJson,
  benchRows,
  formatBenchReport,
  formatProbeOverhead,
} from '../../../../src/main/hosts/cli/benchReport';

const result = (normalization: 'none' | 'batch', imagesPerSec: number) => ({
  network: 'vgg-mini' as const,
  normalization,
  batchSize: 128,
  warmupSteps: 2,
  timedSteps: 5,
  msPerStep: 128_000 / imagesPerSec,
  imagesPerSec,
  gflops: imagesPerSec / 3,
});

const torch = (threads: number, bn: boolean, imagesPerSec: number) => ({
  version: '2.1',
  threads,
  bn,
  msPerStep: 128_000 / imagesPerSec,
  imagesPerSec,
  gflops: imagesPerSec / 3,
});

const wasmInfo = (threadsCount: number) => ({
  name: 'wasm' as const,
  device: 'Test CPU (2 threads)',
  software: false,
  details: { simd: true, threadsCount },
});

const report: BenchmarkReport = {
  network: 'vgg-mini',
  batchSize: 128,
  backends: [
    {
      backend: 'wasm',
      threads: 2,
      info: wasmInfo(2),
      results: [result('none', 60), result('batch', 50)],
      probeResults: [],
    },
    { backend: 'wasm', threads: 1, info: wasmInfo(1), results: [result('none', 40)], probeResults: [] },
    {
      backend: 'webgpu',
      info: { name: 'webgpu', device: 'llvmpipe', software: true, details: {} },
      results: [result('none', 3)],
      probeResults: [],
    },
    { backend: 'wasm', threads: 9, results: [], probeResults: [], error: 'NORMLAB_WASM_THREADS must be ...' },
  ],
  torch: {
    figures: [torch(1, false, 120), torch(1, true, 100), torch(2, false, 200), torch(2, true, 160)],
  },
};

describe('benchRows', () => {
  it('divides by PyTorch on one thread and on the same thread count, same BatchNorm setting', () => {
    const rows = benchRows(report);
    expect(rows.map((r) => [r.backend, r.threads, r.normalization])).toEqual([
      ['wasm', 2, 'none'],
      ['wasm', 2, 'batch'],
      ['wasm', 1, 'none'],
      ['webgpu', undefined, 'none'],
    ]);
    expect(rows[0]?.vsPyTorch1Thread).toBeCloseTo(60 / 120);
    expect(rows[0]?.vsPyTorchSameThreads).toBeCloseTo(60 / 200);
    expect(rows[1]?.vsPyTorch1Thread).toBeCloseTo(50 / 100);
    expect(rows[1]?.vsPyTorchSameThreads).toBeCloseTo(50 / 160);
    expect(rows[2]?.vsPyTorch1Thread).toBeCloseTo(40 / 120);
    expect(rows[2]?.vsPyTorchSameThreads).toBeCloseTo(40 / 120);
    // A GPU backend has no thread count to match.
    expect(rows[3]?.vsPyTorch1Thread).toBeCloseTo(3 / 120);
    expect(rows[3]?.vsPyTorchSameThreads).toBeNull();
  });

  it('takes the thread count the backend ran with over the one asked for', () => {
    const asked4ran2: BenchmarkReport = {
      ...report,
      backends: [
        { backend: 'wasm', threads: 4, info: wasmInfo(2), results: [result('none', 60)], probeResults: [] },
      ],
    };
    expect(benchRows(asked4ran2)[0]?.threads).toBe(2);
  });

  it('has no ratios without the peer', () => {
    const rows = benchRows({ ...report, torch: { figures: [], error: 'no torch' } });
    expect(rows.every((r) => r.vsPyTorch1Thread === null && r.vsPyTorchSameThreads === null)).toBe(true);
  });
});

describe('formatBenchReport', () => {
  it('prints every row, the failed configuration and the peer', () => {
    const text = formatBenchReport(report);
    expect(text).toMatch(/^wasm x2 +no +2133 +60\.0 +20\.0 +0\.50x +0\.30x +Test CPU/m);
    expect(text).toMatch(/^wasm x1 +no .* 0\.33x +0\.33x/m);
    expect(text).toMatch(/^webgpu +no .* 0\.03x +- +llvmpipe \(software\)/m);
    expect(text).toMatch(/^wasm x9 .*failed: NORMLAB_WASM_THREADS/m);
    expect(text).toMatch(/^pytorch 2\.1 x1 +yes .* 1\.00x +1\.00x +1 thread\(s\)/m);
    expect(text).toMatch(/^pytorch 2\.1 x2 +no .* - +1\.00x +2 thread\(s\)/m);
  });

  it('says why the peer is missing', () => {
    expect(formatBenchReport({ ...report, torch: { figures: [], error: 'no torch' } })).toMatch(
      /PyTorch peer unavailable: no torch/,
    );
  });
});

describe('benchJson', () => {
  it('keeps the measured report and adds the ratio rows', () => {
    const doc = JSON.parse(JSON.stringify(benchJson(report))) as ReturnType<typeof benchJson>;
    expect(doc.torch.figures).toHaveLength(4);
    expect(doc.backends).toHaveLength(4);
    expect(doc.rows[0]).toMatchObject({ backend: 'wasm', threads: 2, vsPyTorch1Thread: 0.5 });
  });
});

describe('formatProbeOverhead', () => {
  it("lists each probe's cost, cadence and share, and the total", () => {
    const withProbes: BenchmarkReport = {
      ...report,
      backends: [
        {
          backend: 'wasm',
          threads: 2,
          info: wasmInfo(2),
          results: [],
          probeResults: [
            {
              preset: 'vgg16-bn-cpu',
              batchSize: 128,
              warmupSteps: 1,
              timedSteps: 3,
              network: 'vgg16',
              normalization: 'batch',
              stepMs: 800,
              probes: [
                {
                  probe: 'landscape',
                  ms: 3200,
                  every: 100,
                  forwardPasses: 0,
                  backwardPasses: 4,
                  overhead: 0.04,
                },
                { probe: 'norms', ms: 8, every: 20, forwardPasses: 0, backwardPasses: 0, overhead: 0.0005 },
              ],
              overhead: 0.0405,
            },
          ],
        },
      ],
    };
    const text = formatProbeOverhead(withProbes);
    expect(text).toMatch(
      /probe overhead of preset vgg16-bn-cpu \(vgg16, batch, batch 128\) on wasm x2: training step 800 ms/,
    );
    expect(text).toMatch(/^landscape +100 +3200 +0 +4 +4\.0%$/m);
    expect(text).toMatch(/^norms +20 +8 +0 +0 +0\.1%$/m);
    expect(text).toMatch(/^total +4\.0%$/m);
    expect(formatProbeOverhead(report)).toBe('');
  });
});
