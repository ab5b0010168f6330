/**
 * `npm run bench`: training throughput of vgg-mini (batch 128) with and without BatchNorm on each
 * available backend, next to the PyTorch peer measured in the same invocation, as ratios.
 * `npm run bench -- --json` prints one JSON document instead. Not a test: no timing is asserted.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { BACKENDS, type BackendName } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { runBenchmark, type BenchmarkReport } from '../../api/benchmark';
import { formatTable } from './table';

interface BenchOptions {
  json?: boolean;
  backends?: string;
  steps: string;
  torchScript: string;
  torchThreads: string;
  python: string;
}

export async function benchMain(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .option('--json', 'print one JSON document (NormLab and PyTorch figures)')
    .option(
      '--backends <list>',
      'comma-separated backends (default: every available one but cpu and software GPUs)',
    )
    .option('--steps <n>', 'timed steps per configuration', '5')
    .option('--torch-script <path>', 'the PyTorch peer', resolve('..', 'shared', 'bench', 'torch_vgg_cpu.py'))
    .option('--torch-threads <n>', 'threads for the PyTorch peer', '1')
    .option('--python <path>', 'the Python that has PyTorch', '/usr/bin/python3')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const opts = program.opts<BenchOptions>();
  const backends = opts.backends?.split(',').map((b) => b.trim());
  for (const b of backends ?? []) {
    if (!(BACKENDS as readonly string[]).includes(b) || b === 'auto') {
      throw new UserError(
        'usage',
        `unknown backend "${b}"; choose from ${BACKENDS.filter((x) => x !== 'auto').join(', ')}`,
      );
    }
  }
  const report = await runBenchmark(
    {
      ...(backends ? { backends: backends as BackendName[] } : {}),
      normalizations: ['none', 'batch'],
      batchSize: 128,
      warmupSteps: 2,
      timedSteps: Number(opts.steps),
      softwareTimedSteps: 1,
      torchScript: opts.torchScript,
      torchThreads: Number(opts.torchThreads),
      python: opts.python,
    },
    (m) => process.stderr.write(`${m}\n`),
  );
  process.stdout.write(opts.json ? `${JSON.stringify(withRatios(report), null, 2)}\n` : formatReport(report));
  return 0;
}

function torchFor(report: BenchmarkReport, bn: boolean): number | undefined {
  return report.torch.figures.find((f) => f.bn === bn)?.imagesPerSec;
}

function withRatios(report: BenchmarkReport): BenchmarkReport & { ratios: Record<string, number | null> } {
  const ratios: Record<string, number | null> = {};
  for (const b of report.backends) {
    for (const r of b.results) {
      const peer = torchFor(report, r.normalization !== 'none');
      ratios[`${b.backend}/${r.normalization}`] = peer ? r.imagesPerSec / peer : null;
    }
  }
  return { ...report, ratios };
}

function formatReport(report: BenchmarkReport): string {
  const rows: string[][] = [];
  for (const b of report.backends) {
    if (b.error) rows.push([b.backend, '-', '-', '-', '-', '-', `failed: ${b.error}`]);
    for (const r of b.results) {
      const peer = torchFor(report, r.normalization !== 'none');
      rows.push([
        b.backend,
        r.normalization === 'none' ? 'no' : 'yes',
        r.msPerStep.toFixed(0),
        r.imagesPerSec.toFixed(1),
        r.gflops.toFixed(1),
        peer ? `${(r.imagesPerSec / peer).toFixed(2)}x` : '-',
        `${b.info?.device ?? ''}${b.info?.software ? ' (software)' : ''}`,
      ]);
    }
  }
  for (const f of report.torch.figures) {
    rows.push([
      `pytorch ${f.version}`,
      f.bn ? 'yes' : 'no',
      f.msPerStep.toFixed(0),
      f.imagesPerSec.toFixed(1),
      f.gflops.toFixed(1),
      '1.00x',
      `${f.threads} thread(s)`,
    ]);
  }
  const title = `vgg-mini training, batch ${report.batchSize}, random 32x32x3 inputs, plain SGD\n`;
  const peerNote = report.torch.error ? `\nPyTorch peer unavailable: ${report.torch.error}\n` : '';
  return (
    title +
    formatTable(['BACKEND', 'BN', 'MS/STEP', 'IMG/S', 'GFLOP/S', 'VS PYTORCH', 'DEVICE'], rows) +
    peerNote
  );
}
