import { describe, expect, it } from 'vitest';
import type { BenchmarkReport, OpBenchmarkReport, OpTiming } from '../../../../src/main/api/benchmark';
import {
  benchJson,
  benchRows,
  formatBenchReport,
  formatOpReport,
  formatPresetReport,
  formatProbeOverhead,
  opBenchJson,
  opRows,
  opTotals,
  presetRows,
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

const presetResult = (preset: string, normalization: 'none' | 'batch', imagesPerSec: number) => ({
  preset,
  network: 'vgg16' as const,
  normalization,
  widthMultiplier: 0.25,
  batchSize: 128,
  warmupSteps: 2,
  timedSteps: 5,
  msPerStep: 128_000 / imagesPerSec,
  imagesPerSec,
  gflops: imagesPerSec / 2,
});

const withPresets: BenchmarkReport = {
  ...report,
  presets: [
    {
      backend: 'wasm',
      threads: 4,
      // Asked for 4, ran 2: the row says 2.
      info: wasmInfo(2),
      results: [presetResult('vgg16-plain-cpu', 'none', 32), presetResult('vgg16-bn-cpu', 'batch', 25.6)],
      probeResults: [],
    },
    { backend: 'wasm', threads: 1, results: [], probeResults: [], error: 'out of memory' },
  ],
};

describe('presetRows', () => {
  it('gives each preset on each thread count, with the thread count the backend ran', () => {
    expect(presetRows(withPresets)).toEqual([
      {
        preset: 'vgg16-plain-cpu',
        network: 'vgg16',
        widthMultiplier: 0.25,
        normalization: 'none',
        batchSize: 128,
        backend: 'wasm',
        threads: 2,
        msPerStep: 4000,
        imagesPerSec: 32,
        gflops: 16,
      },
      expect.objectContaining({ preset: 'vgg16-bn-cpu', threads: 2, msPerStep: 5000, imagesPerSec: 25.6 }),
    ]);
    expect(presetRows(report)).toEqual([]);
  });
});

describe('formatPresetReport', () => {
  it("prints each preset's model, batch, threads, ms/step, img/s and GFLOP/s, and the failures", () => {
    const text = formatPresetReport(withPresets);
    expect(text).toMatch(/CPU-scale presets' training on wasm/);
    expect(text).toMatch(/^PRESET +MODEL +BATCH +THREADS +MS\/STEP +IMG\/S +GFLOP\/S$/m);
    expect(text).toMatch(/^vgg16-plain-cpu +vgg16, width 0\.25, no norm +128 +2 +4000 +32\.0 +16\.0$/m);
    expect(text).toMatch(/^vgg16-bn-cpu +vgg16, width 0\.25, batch norm +128 +2 +5000 +25\.6 +12\.8$/m);
    expect(text).toMatch(/^wasm x1 failed: out of memory$/m);
  });

  it('prints nothing when no preset was measured, and follows the vgg-mini table when some were', () => {
    expect(formatPresetReport(report)).toBe('');
    expect(formatBenchReport(report)).not.toMatch(/presets/);
    const text = formatBenchReport(withPresets);
    expect(text.indexOf('vgg16-bn-cpu')).toBeGreaterThan(text.indexOf('pytorch 2.1 x2'));
  });
});

describe('benchJson with presets', () => {
  it('adds the preset rows next to the vgg-mini rows, which stay as they are', () => {
    const doc = JSON.parse(JSON.stringify(benchJson(withPresets))) as ReturnType<typeof benchJson>;
    expect(doc.rows).toEqual(JSON.parse(JSON.stringify(benchRows(report))));
    expect(doc.presets).toHaveLength(2);
    expect(doc.presetRows?.map((r) => [r.preset, r.threads, r.imagesPerSec])).toEqual([
      ['vgg16-plain-cpu', 2, 32],
      ['vgg16-bn-cpu', 2, 25.6],
    ]);
    expect(Object.keys(benchJson(report))).not.toContain('presetRows');
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

const timing = (op: OpTiming['op'], layer: number, ms: number, gflops?: number): OpTiming => ({
  op,
  shapeSet: 'vgg-mini',
  layer,
  shape: op.startsWith('conv-') ? `128x32x32x${layer}->64` : `128x32x32x${layer}`,
  ms,
  ...(gflops !== undefined ? { gflops } : {}),
});

/** Two layers; PyTorch has no dx on layer 2 (a partial peer), NormLab has no bias gradient on layer 2. */
const ops: OpBenchmarkReport = {
  backend: 'wasm',
  shapeSets: ['vgg-mini'],
  batchSize: 128,
  warmup: 2,
  reps: 5,
  runs: [
    {
      threads: 1,
      normlab: {
        backend: 'wasm',
        threads: 1,
        info: wasmInfo(1),
        timings: [
          timing('conv-dw', 2, 300, 10),
          timing('conv-dw', 1, 100, 20),
          timing('conv-dx', 2, 200, 15),
          timing('bias-grad', 1, 8),
          timing('conv-forward', 1, 50, 40),
        ],
      },
      torch: {
        threads: 1,
        version: '1.13.0a0',
        timings: [
          timing('conv-forward', 1, 25, 80),
          timing('conv-dw', 1, 50, 40),
          timing('conv-dw', 2, 60, 50),
          timing('bias-grad', 1, 2),
          timing('bias-grad', 2, 1),
        ],
      },
    },
  ],
};

/** The training figures of the same invocation: wasm x1 with BN at 2560 ms, PyTorch x1 with BN at 1280 ms. */
const training: BenchmarkReport = {
  ...report,
  backends: [
    { backend: 'wasm', threads: 1, info: wasmInfo(1), results: [result('batch', 50)], probeResults: [] },
  ],
};

describe('opRows', () => {
  it('joins both sides by op, layer and shape, in op order then layer order', () => {
    const run = ops.runs[0] as OpBenchmarkReport['runs'][number];
    const rows = opRows(ops, run);
    expect(rows.map((r) => `${r.op} ${r.layer}`)).toEqual([
      'conv-forward 1',
      'conv-dw 1',
      'conv-dw 2',
      'conv-dx 2',
      'bias-grad 1',
      'bias-grad 2',
    ]);
    expect(rows[0]).toMatchObject({
      normlabMs: 50,
      torchMs: 25,
      vsPyTorch: 0.5,
      normlabGflops: 40,
      torchGflops: 80,
    });
    expect(rows[3]).toMatchObject({ normlabMs: 200, torchMs: null, vsPyTorch: null, torchGflops: null });
    expect(rows[5]).toMatchObject({ normlabMs: null, torchMs: 1, vsPyTorch: null });
  });
});

describe('opTotals', () => {
  const run = ops.runs[0] as OpBenchmarkReport['runs'][number];

  it('sums each op kind over layers, with GFLOP/s as total FLOPs over total time and shares of the step', () => {
    const totals = opTotals(ops, run, training);
    expect(totals.map((t) => t.op)).toEqual(['conv-forward', 'conv-dw', 'conv-dx', 'bias-grad', 'all']);
    const dw = totals[1];
    expect(dw).toMatchObject({ layers: 2, normlabMs: 400, torchMs: 110 });
    expect(dw?.vsPyTorch).toBeCloseTo(110 / 400, 12);
    // (300 x 10 + 100 x 20) / 400 and (50 x 40 + 60 x 50) / 110
    expect(dw?.normlabGflops).toBeCloseTo(5000 / 400, 12);
    expect(dw?.torchGflops).toBeCloseTo(5000 / 110, 12);
    // Steps: 128,000 / 50 img/s = 2560 ms; PyTorch with BN on 1 thread: 128,000 / 100 = 1280 ms.
    expect(dw?.shareOfNormlabStep).toBeCloseTo(400 / 2560, 12);
    expect(dw?.shareOfTorchStep).toBeCloseTo(110 / 1280, 12);
    // One side missing a layer: totals on each side, no ratio.
    expect(totals[2]).toMatchObject({ normlabMs: 200, torchMs: null, vsPyTorch: null });
    expect(totals[3]).toMatchObject({ normlabMs: 8, torchMs: 3, vsPyTorch: null, normlabGflops: null });
    expect(totals[4]).toMatchObject({ layers: 2, normlabMs: 658, torchMs: 138, vsPyTorch: null });
  });

  it('has no shares without a training step with BN at the same threads', () => {
    for (const t of opTotals(ops, run)) {
      expect(t.shareOfNormlabStep).toBeNull();
      expect(t.shareOfTorchStep).toBeNull();
    }
    const otherThreads: BenchmarkReport = {
      ...training,
      backends: [{ ...(training.backends[0] as BenchmarkReport['backends'][number]), info: wasmInfo(2) }],
      torch: { figures: [torch(2, true, 100)] },
    };
    for (const t of opTotals(ops, run, otherThreads)) expect(t.shareOfNormlabStep).toBeNull();
  });
});

describe('formatOpReport', () => {
  it('prints the per-layer table and the totals with their shares', () => {
    const text = formatOpReport(ops, training);
    expect(text).toMatch(
      /per-op timings, vgg-mini conv layers, batch 128: .* on wasm x1 against PyTorch 1\.13\.0a0 x1/,
    );
    expect(text).toMatch(
      /^filter gradient \(dW\) +1 +128x32x32x1->64 +100\.0 +50\.0 +0\.50x +20\.0 +40\.0$/m,
    );
    expect(text).toMatch(/^input gradient \(dx\) +2 +128x32x32x2->64 +200\.0 +- +- +15\.0$/m);
    expect(text).toMatch(/^bias gradient +2 +128x32x32x2 +- +1\.0 +-$/m);
    expect(text).toMatch(/training step with BN: NormLab 2560\.0 ms, PyTorch 1280\.0 ms/);
    expect(text).toMatch(/^filter gradient \(dW\) +2 +400\.0 +110\.0 +0\.28x +12\.5 +45\.5 +15\.6% +8\.6%$/m);
    expect(text).toMatch(/^all ops +2 +658\.0 +138\.0 +- +25\.7% +10\.8%$/m);
  });

  it("prints NormLab's column and says why the peer is missing", () => {
    const run = ops.runs[0] as OpBenchmarkReport['runs'][number];
    const text = formatOpReport({
      ...ops,
      runs: [
        { ...run, torch: { threads: 1, timings: [], error: 'the per-op PyTorch peer exited with code 1' } },
      ],
    });
    expect(text).toMatch(/^forward conv +1 +128x32x32x1->64 +50\.0 +- +- +40\.0$/m);
    expect(text).toMatch(/no training step with BN at these threads measured, so no shares/);
    expect(text).toMatch(/PyTorch per-op peer unavailable: the per-op PyTorch peer exited with code 1/);
  });

  it("says when NormLab's op benchmark failed", () => {
    const text = formatOpReport({
      ...ops,
      runs: [
        {
          threads: 9,
          normlab: { backend: 'wasm', threads: 9, timings: [], error: 'the wasm thread count must be ...' },
          torch: { threads: 9, timings: [] },
        },
      ],
    });
    expect(text).toBe("\nNormLab's op benchmark on wasm x9 failed: the wasm thread count must be ...\n");
  });
});

describe('opBenchJson', () => {
  it('keeps the measured runs and adds the joined rows and totals per thread count', () => {
    const doc = JSON.parse(JSON.stringify(opBenchJson(ops, training))) as ReturnType<typeof opBenchJson>;
    expect(doc.runs).toHaveLength(1);
    expect(doc.tables).toHaveLength(1);
    expect(doc.tables[0]?.threads).toBe(1);
    expect(doc.tables[0]?.rows).toHaveLength(6);
    expect(doc.tables[0]?.totals.at(-1)).toMatchObject({ op: 'all', normlabMs: 658 });
  });
});
