/**
 * The figures of `npm run bench` as ratios to the PyTorch peer of the same invocation: to PyTorch on
 * one thread (the reference: wasm must reach 0.4x of it) and, where the backend runs a known
 * number of CPU threads (wasm), to PyTorch on as many threads, so the comparison is also like for like.
 */
import type { BenchmarkReport, TorchFigure } from '../../api/benchmark';
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
export function benchJson(report: BenchmarkReport): BenchmarkReport & { rows: BenchRow[] } {
  return { ...report, rows: benchRows(report) };
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
