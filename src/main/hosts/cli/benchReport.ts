/**
 * The figures of `npm run bench` as ratios to the PyTorch peer of the same invocation: to PyTorch on
 * one thread (the issue's reference: wasm must reach 0.4x of it) and, where the backend runs a known
 * number of CPU threads (wasm), to PyTorch on as many threads, so the comparison is also like for like.
 */
import type {
  BenchmarkReport,
  OpBenchmarkReport,
  OpBenchRun,
  OpTiming,
  TorchFigure,
} from '../../api/benchmark';
import { OP_KINDS, type OpKind, type OpShapeSet } from '../../../shared/bench';
import { formatTable } from './table';

export interface BenchRow {
  backend: string;
  /** CPU threads the backend computed with (wasm), when known. */
  threads?: number;
  normalization: string;
  msPerStep: number;
  imagesPerSec: number;
  gflops: number;
  /** images/s over PyTorch's single-thread images/s, same BatchNorm setting; null without the peer. */
  vsPyTorch1Thread: number | null;
  /** images/s over PyTorch's images/s on the same thread count; null when not measured or not a CPU backend. */
  vsPyTorchSameThreads: number | null;
  device: string;
}

export function benchRows(report: BenchmarkReport): BenchRow[] {
  const peer = (bn: boolean, threads: number): TorchFigure | undefined =>
    report.torch.figures.find((f) => f.bn === bn && f.threads === threads);
  const rows: BenchRow[] = [];
  for (const b of report.backends) {
    const ran = b.info?.details.threadsCount;
    const threads = typeof ran === 'number' ? ran : b.threads;
    for (const r of b.results) {
      const bn = r.normalization !== 'none';
      const one = peer(bn, 1);
      const same = threads !== undefined ? peer(bn, threads) : undefined;
      rows.push({
        backend: b.backend,
        ...(threads !== undefined ? { threads } : {}),
        normalization: r.normalization,
        msPerStep: r.msPerStep,
        imagesPerSec: r.imagesPerSec,
        gflops: r.gflops,
        vsPyTorch1Thread: one ? r.imagesPerSec / one.imagesPerSec : null,
        vsPyTorchSameThreads: same ? r.imagesPerSec / same.imagesPerSec : null,
        device: `${b.info?.device ?? ''}${b.info?.software ? ' (software)' : ''}`,
      });
    }
  }
  return rows;
}

/** The JSON document of `npm run bench -- --json`: the report as measured, plus the ratio rows. */
export function benchJson(
  report: BenchmarkReport,
): BenchmarkReport & { rows: BenchRow[]; presetRows?: PresetRow[] } {
  return {
    ...report,
    rows: benchRows(report),
    ...(report.presets ? { presetRows: presetRows(report) } : {}),
  };
}

/** One preset's plain training step on one backend configuration (a CPU-scale preset on wasm). */
export interface PresetRow {
  preset: string;
  network: string;
  widthMultiplier: number;
  normalization: string;
  batchSize: number;
  backend: string;
  /** CPU threads the backend computed with (wasm), when known. */
  threads?: number;
  msPerStep: number;
  imagesPerSec: number;
  gflops: number;
}

export function presetRows(report: BenchmarkReport): PresetRow[] {
  const rows: PresetRow[] = [];
  for (const b of report.presets ?? []) {
    const ran = b.info?.details.threadsCount;
    const threads = typeof ran === 'number' ? ran : b.threads;
    for (const r of b.results) {
      rows.push({
        preset: r.preset ?? r.network,
        network: r.network,
        widthMultiplier: r.widthMultiplier ?? 1,
        normalization: r.normalization,
        batchSize: r.batchSize,
        backend: b.backend,
        ...(threads !== undefined ? { threads } : {}),
        msPerStep: r.msPerStep,
        imagesPerSec: r.imagesPerSec,
        gflops: r.gflops,
      });
    }
  }
  return rows;
}

/**
 * The presets' table: each preset's model at its batch size, plain training steps (no probes), per
 * thread count; GFLOP/s counts forward + backward as 3x the built network's forward FLOPs.
 */
export function formatPresetReport(report: BenchmarkReport): string {
  if (!report.presets) return '';
  const rows = presetRows(report).map((r) => [
    r.preset,
    `${r.network}, width ${r.widthMultiplier}, ${r.normalization === 'none' ? 'no' : r.normalization} norm`,
    String(r.batchSize),
    r.threads !== undefined ? String(r.threads) : '-',
    r.msPerStep.toFixed(0),
    r.imagesPerSec.toFixed(1),
    r.gflops.toFixed(1),
  ]);
  const backends = [...new Set(report.presets.map((b) => b.backend))].join(', ');
  const failures = report.presets
    .filter((b) => b.error)
    .map((b) => `${b.backend}${b.threads !== undefined ? ` x${b.threads}` : ''} failed: ${b.error}\n`)
    .join('');
  return (
    `\nCPU-scale presets' training on ${backends}: each preset's model and batch, plain steps without ` +
    `probes, random 32x32x3 inputs, plain SGD\n` +
    formatTable(['PRESET', 'MODEL', 'BATCH', 'THREADS', 'MS/STEP', 'IMG/S', 'GFLOP/S'], rows) +
    failures
  );
}

export function formatBenchReport(report: BenchmarkReport): string {
  const ratio = (x: number | null): string => (x === null ? '-' : `${x.toFixed(2)}x`);
  const rows: string[][] = [];
  for (const b of report.backends) {
    if (b.error) {
      const name = b.threads !== undefined ? `${b.backend} x${b.threads}` : b.backend;
      rows.push([name, '-', '-', '-', '-', '-', '-', `failed: ${b.error}`]);
    }
  }
  for (const r of benchRows(report)) {
    rows.push([
      r.threads !== undefined ? `${r.backend} x${r.threads}` : r.backend,
      r.normalization === 'none' ? 'no' : 'yes',
      r.msPerStep.toFixed(0),
      r.imagesPerSec.toFixed(1),
      r.gflops.toFixed(1),
      ratio(r.vsPyTorch1Thread),
      ratio(r.vsPyTorchSameThreads),
      r.device,
    ]);
  }
  for (const f of report.torch.figures) {
    rows.push([
      `pytorch ${f.version} x${f.threads}`,
      f.bn ? 'yes' : 'no',
      f.msPerStep.toFixed(0),
      f.imagesPerSec.toFixed(1),
      f.gflops.toFixed(1),
      f.threads === 1 ? '1.00x' : '-',
      '1.00x',
      `${f.threads} thread(s)`,
    ]);
  }
  const title =
    `vgg-mini training, batch ${report.batchSize}, random 32x32x3 inputs, plain SGD; ` +
    `"x2" = 2 CPU threads\n`;
  const peerNote = report.torch.error ? `\nPyTorch peer unavailable: ${report.torch.error}\n` : '';
  return (
    title +
    formatTable(
      ['BACKEND', 'BN', 'MS/STEP', 'IMG/S', 'GFLOP/S', 'VS PYTORCH x1', 'VS PYTORCH SAME THREADS', 'DEVICE'],
      rows,
    ) +
    peerNote +
    formatPresetReport(report) +
    formatProbeOverhead(report)
  );
}

/** The probe-overhead tables: each probe's cost per run, its cadence, and its share of training time. */
export function formatProbeOverhead(report: BenchmarkReport): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  let out = '';
  for (const b of report.backends) {
    for (const r of b.probeResults) {
      const name =
        b.threads !== undefined ? `${b.backend} x${b.info?.details.threadsCount ?? b.threads}` : b.backend;
      out +=
        `\nprobe overhead of preset ${r.preset} (${r.network}, ${r.normalization}, batch ${r.batchSize}) on ${name}: ` +
        `training step ${r.stepMs.toFixed(0)} ms\n` +
        formatTable(
          ['PROBE', 'EVERY', 'MS/RUN', 'FORWARD', 'FORWARD+BACKWARD', 'OVERHEAD'],
          [
            ...r.probes.map((p) => [
              p.probe,
              String(p.every),
              p.ms.toFixed(0),
              String(p.forwardPasses),
              String(p.backwardPasses),
              pct(p.overhead),
            ]),
            ['total', '', '', '', '', pct(r.overhead)],
          ],
        );
    }
  }
  return out;
}

/** One op on one layer: NormLab's kernel next to PyTorch's. */
export interface OpRow {
  shapeSet: OpShapeSet;
  op: OpKind;
  layer: number;
  shape: string;
  normlabMs: number | null;
  torchMs: number | null;
  /** PyTorch's time over NormLab's: NormLab's speed as a fraction of PyTorch's; null without both. */
  vsPyTorch: number | null;
  normlabGflops: number | null;
  torchGflops: number | null;
}

/** One op kind summed over the layers of a shape set. */
export interface OpTotalRow {
  shapeSet: OpShapeSet;
  /** An op kind, or 'all' for every op measured. */
  op: OpKind | 'all';
  layers: number;
  normlabMs: number | null;
  torchMs: number | null;
  /** Over the totals, when both sides timed every layer; null otherwise. */
  vsPyTorch: number | null;
  /** Convolutions: total FLOPs over total time. */
  normlabGflops: number | null;
  torchGflops: number | null;
  /** The total over the training step measured in the same invocation (vgg-mini, BN, same threads). */
  shareOfNormlabStep: number | null;
  shareOfTorchStep: number | null;
}

export const OP_LABELS: Record<OpKind, string> = {
  'conv-forward': 'forward conv',
  'conv-dw': 'filter gradient (dW)',
  'conv-dx': 'input gradient (dx)',
  'bias-grad': 'bias gradient',
  bn: 'BN forward+backward',
  'relu-grad': 'ReLU gradient',
  'maxpool-grad': 'MaxPoolGrad',
};

/** The rows of one thread count: by shape set, op kind (OP_KINDS order), layer. */
export function opRows(ops: OpBenchmarkReport, run: OpBenchRun): OpRow[] {
  const key = (t: OpTiming): string => `${t.shapeSet}|${t.op}|${t.layer}|${t.shape}`;
  const rows = new Map<string, OpRow>();
  const row = (t: OpTiming): OpRow => {
    const k = key(t);
    let r = rows.get(k);
    if (!r) {
      r = {
        shapeSet: t.shapeSet,
        op: t.op,
        layer: t.layer,
        shape: t.shape,
        normlabMs: null,
        torchMs: null,
        vsPyTorch: null,
        normlabGflops: null,
        torchGflops: null,
      };
      rows.set(k, r);
    }
    return r;
  };
  for (const t of run.normlab.timings) {
    const r = row(t);
    r.normlabMs = t.ms;
    r.normlabGflops = t.gflops ?? null;
  }
  for (const t of run.torch.timings) {
    const r = row(t);
    r.torchMs = t.ms;
    r.torchGflops = t.gflops ?? null;
  }
  for (const r of rows.values()) {
    if (r.normlabMs !== null && r.torchMs !== null && r.normlabMs > 0) r.vsPyTorch = r.torchMs / r.normlabMs;
  }
  const setOrder = (s: OpShapeSet): number => {
    const i = ops.shapeSets.indexOf(s);
    return i < 0 ? ops.shapeSets.length : i;
  };
  return [...rows.values()].sort(
    (a, b) =>
      setOrder(a.shapeSet) - setOrder(b.shapeSet) ||
      OP_KINDS.indexOf(a.op) - OP_KINDS.indexOf(b.op) ||
      a.layer - b.layer ||
      a.shape.localeCompare(b.shape),
  );
}

/**
 * The training steps the shares refer to: vgg-mini with BatchNorm at the op benchmark's batch size,
 * NormLab on wasm with the run's thread count, PyTorch with as many threads.
 */
function stepMs(
  training: BenchmarkReport | undefined,
  ops: OpBenchmarkReport,
  threads: number,
): { normlab: number | null; torch: number | null } {
  if (!training || training.batchSize !== ops.batchSize) return { normlab: null, torch: null };
  const wasm = training.backends.find((b) => {
    const ran = b.info?.details.threadsCount;
    return b.backend === 'wasm' && (typeof ran === 'number' ? ran : b.threads) === threads;
  });
  const normlab = wasm?.results.find((r) => r.normalization === 'batch')?.msPerStep ?? null;
  const torch = training.torch.figures.find((f) => f.bn && f.threads === threads)?.msPerStep ?? null;
  return { normlab, torch };
}

/** Per shape set, each op kind summed over layers, then every op together ('all'). */
export function opTotals(ops: OpBenchmarkReport, run: OpBenchRun, training?: BenchmarkReport): OpTotalRow[] {
  const rows = opRows(ops, run);
  const step = stepMs(training, ops, run.threads);
  const totals: OpTotalRow[] = [];
  const total = (shapeSet: OpShapeSet, op: OpKind | 'all', group: OpRow[]): OpTotalRow => {
    const sum = (ms: (r: OpRow) => number | null): number | null =>
      group.some((r) => ms(r) !== null) ? group.reduce((s, r) => s + (ms(r) ?? 0), 0) : null;
    // Total FLOPs over total time: sum(gflops_i ms_i) / sum(ms_i), over the convolutions.
    const gflops = (ms: (r: OpRow) => number | null, g: (r: OpRow) => number | null): number | null => {
      const convs = group.filter((r) => ms(r) !== null && g(r) !== null);
      if (convs.length === 0 || convs.length !== group.length) return null;
      const t = convs.reduce((s, r) => s + (ms(r) ?? 0), 0);
      return convs.reduce((s, r) => s + (ms(r) ?? 0) * (g(r) ?? 0), 0) / t;
    };
    const normlabMs = sum((r) => r.normlabMs);
    const torchMs = sum((r) => r.torchMs);
    const complete = group.every((r) => r.normlabMs !== null && r.torchMs !== null);
    const onStep = shapeSet === 'vgg-mini';
    return {
      shapeSet,
      op,
      layers: new Set(group.map((r) => r.layer)).size,
      normlabMs,
      torchMs,
      vsPyTorch: complete && normlabMs && torchMs !== null ? torchMs / normlabMs : null,
      normlabGflops: gflops(
        (r) => r.normlabMs,
        (r) => r.normlabGflops,
      ),
      torchGflops: gflops(
        (r) => r.torchMs,
        (r) => r.torchGflops,
      ),
      shareOfNormlabStep: onStep && normlabMs !== null && step.normlab ? normlabMs / step.normlab : null,
      shareOfTorchStep: onStep && torchMs !== null && step.torch ? torchMs / step.torch : null,
    };
  };
  for (const shapeSet of ops.shapeSets) {
    const inSet = rows.filter((r) => r.shapeSet === shapeSet);
    if (inSet.length === 0) continue;
    for (const op of OP_KINDS) {
      const group = inSet.filter((r) => r.op === op);
      if (group.length > 0) totals.push(total(shapeSet, op, group));
    }
    totals.push(total(shapeSet, 'all', inSet));
  }
  return totals;
}

/** The per-op part of `npm run bench -- --json`: as measured, plus the joined rows and totals. */
export function opBenchJson(
  ops: OpBenchmarkReport,
  training?: BenchmarkReport,
): OpBenchmarkReport & { tables: { threads: number; rows: OpRow[]; totals: OpTotalRow[] }[] } {
  return {
    ...ops,
    tables: ops.runs.map((run) => ({
      threads: run.threads,
      rows: opRows(ops, run),
      totals: opTotals(ops, run, training),
    })),
  };
}

/**
 * The per-op tables: per thread count and shape set, each op on each layer (NormLab's wasm kernel,
 * PyTorch's, the ratio, GFLOP/s on convolutions), then each op kind summed over the layers with its
 * share of the training step measured in the same invocation (`training`, when it ran).
 */
export function formatOpReport(ops: OpBenchmarkReport, training?: BenchmarkReport): string {
  const ms = (x: number | null): string => (x === null ? '-' : x.toFixed(1));
  const ratio = (x: number | null): string => (x === null ? '-' : `${x.toFixed(2)}x`);
  const gf = (x: number | null): string => (x === null ? '' : x.toFixed(1));
  const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
  let out = '';
  for (const run of ops.runs) {
    const ran = run.normlab.info?.details.threadsCount;
    const threads = typeof ran === 'number' ? ran : run.threads;
    const torchName = `PyTorch${run.torch.version ? ` ${run.torch.version}` : ''} x${run.torch.threads}`;
    const step = stepMs(training, ops, run.threads);
    const rows = opRows(ops, run);
    const totals = opTotals(ops, run, training);
    for (const shapeSet of ops.shapeSets) {
      const inSet = rows.filter((r) => r.shapeSet === shapeSet);
      if (inSet.length === 0) continue;
      out +=
        `\nper-op timings, ${shapeSet} conv layers, batch ${ops.batchSize}: NormLab's registered kernels ` +
        `on wasm x${threads} against ${torchName}; median of ${ops.reps} calls after ${ops.warmup} warm-up; ` +
        `VS PYTORCH = PyTorch's time / NormLab's (NormLab's speed as a fraction of PyTorch's)\n` +
        formatTable(
          [
            'OP',
            'LAYER',
            'SHAPE',
            'NORMLAB MS',
            'PYTORCH MS',
            'VS PYTORCH',
            'NORMLAB GFLOP/S',
            'PYTORCH GFLOP/S',
          ],
          inSet.map((r) => [
            OP_LABELS[r.op],
            String(r.layer),
            r.shape,
            ms(r.normlabMs),
            ms(r.torchMs),
            ratio(r.vsPyTorch),
            gf(r.normlabGflops),
            gf(r.torchGflops),
          ]),
        );
      const stepNote =
        shapeSet === 'vgg-mini'
          ? step.normlab !== null || step.torch !== null
            ? `; training step with BN: NormLab ${ms(step.normlab)} ms, PyTorch ${ms(step.torch)} ms`
            : '; no training step with BN at these threads measured, so no shares'
          : '';
      out +=
        `\n${shapeSet} per op, summed over layers${stepNote}\n` +
        formatTable(
          [
            'OP',
            'LAYERS',
            'NORMLAB MS',
            'PYTORCH MS',
            'VS PYTORCH',
            'NORMLAB GFLOP/S',
            'PYTORCH GFLOP/S',
            'SHARE OF NORMLAB STEP',
            'SHARE OF PYTORCH STEP',
          ],
          totals
            .filter((t) => t.shapeSet === shapeSet)
            .map((t) => [
              t.op === 'all' ? 'all ops' : OP_LABELS[t.op],
              String(t.layers),
              ms(t.normlabMs),
              ms(t.torchMs),
              ratio(t.vsPyTorch),
              gf(t.normlabGflops),
              gf(t.torchGflops),
              shapeSet === 'vgg-mini' ? pct(t.shareOfNormlabStep) : '',
              shapeSet === 'vgg-mini' ? pct(t.shareOfTorchStep) : '',
            ]),
        );
    }
    if (run.normlab.error)
      out += `\nNormLab's op benchmark on wasm x${run.threads} failed: ${run.normlab.error}\n`;
    if (run.torch.error) out += `\nPyTorch per-op peer unavailable: ${run.torch.error}\n`;
  }
  return out;
}
