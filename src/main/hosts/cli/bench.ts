/**
 * `npm run bench`: training throughput of vgg-mini (batch 128) with and without BatchNorm on each
 * available backend (wasm with every core, then with one), next to the PyTorch peer measured in the
 * same invocation (on one thread, then on every core), as ratios; then the CPU-scale presets'
 * throughput (their model and batch, plain steps) on wasm with the same thread counts (skip:
 * --no-presets).
 * Then the kernels of one training step timed op by op on wasm with 1 thread (--op-threads), next to
 * PyTorch's on the same shapes (bench/torch_ops.py), with each op kind's share of the step (skip:
 * --no-ops; shapes: --op-shapes vgg-mini,vgg16-quarter,vgg16).
 * Then the store's chart read of 10 series x 1,000,000 points, raw scan against level-of-detail
 * blocks, and their append overhead (src/main/store/lodBench.ts, started by path; skip: --no-store).
 * Last, the time to export a six-panel paper figure as PDF and as PNG at 300 DPI
 * (bench/figureExport.ts; skip: --no-export).
 * `npm run bench -- --json` prints one JSON document instead. Not a test: no timing is asserted.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appBenches, EXPORT_BENCH, runAppBench, STORE_BENCH } from './appBench';
import { BACKENDS, type BackendName } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { OP_SHAPE_SETS, type OpShapeSet } from '../../../shared/bench';
import { parseWasmThreads } from '../../../shared/wasmThreads';
import {
  cpuScalePresets,
  runBenchmark,
  runOpBenchmark,
  type BenchmarkReport,
  type BenchmarkRequest,
  type OpBenchmarkReport,
} from '../../api/benchmark';
import { benchJson, formatBenchReport, formatOpReport, opBenchJson } from './benchReport';
import { parseCount, parseCountList } from './options';
import { parseExperiment } from '../../../shared/configOverrides';
import { findPreset } from '../../../shared/presets';

export interface BenchOptions {
  json?: boolean;
  backends?: string;
  steps: string;
  torchScript: string;
  torchThreads?: string;
  wasmThreads?: string;
  python: string;
  probePreset: string;
  probeSteps: string;
  app: boolean;
  appSeconds: string;
  training: boolean;
  presets: boolean;
  ops: boolean;
  opShapes: string;
  opThreads: string;
  opReps: string;
  opScript: string;
  store: boolean;
  export: boolean;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .option('--json', 'print one JSON document (NormLab and PyTorch figures)')
    .option(
      '--backends <list>',
      'comma-separated backends (default: every available one but cpu and software GPUs)',
    )
    .option('--steps <n>', 'timed steps per configuration', '5')
    .option('--torch-script <path>', 'the PyTorch peer', resolve('..', 'shared', 'bench', 'torch_vgg_cpu.py'))
    .option('--torch-threads <list>', 'thread counts for the PyTorch peer (default: 1 and every core)')
    .option('--wasm-threads <list>', 'thread counts for wasm (default: every core and 1)')
    .option('--python <path>', 'the Python that has PyTorch', '/usr/bin/python3')
    .option(
      '--probe-preset <name>',
      'the preset whose probe set is measured for its overhead ("none" skips it)',
      'vgg16-bn-cpu',
    )
    .option('--probe-steps <n>', 'steps with and without probes in the overhead measurement', '3')
    .option('--no-training', 'skip the training throughput and probe-overhead figures')
    .option(
      '--no-presets',
      "skip the CPU-scale presets' training throughput (their model and batch on wasm, no probes)",
    )
    .option('--no-ops', "skip the per-op table (a training step's kernels on wasm next to PyTorch's)")
    .option('--op-shapes <list>', `shape sets of the per-op table: ${OP_SHAPE_SETS.join(', ')}`, 'vgg-mini')
    .option('--op-threads <list>', 'thread counts of the per-op table (wasm and PyTorch alike)', '1')
    .option('--op-reps <n>', 'timed calls per op in the per-op table (the median is reported)', '5')
    .option('--op-script <path>', 'the per-op PyTorch peer', resolve('bench', 'torch_ops.py'))
    .option('--no-app', "skip the app's runs-table paint, live-latency and compare-view figures (Chromium)")
    .option('--no-store', "skip the store's 10 x 1M chart read and append-overhead figures")
    .option('--no-export', 'skip the six-panel figure export times (PDF, PNG at 300 DPI)')
    .option('--app-seconds <n>', 'how long the live-latency benchmark streams a run', '40')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  return program.opts<BenchOptions>();
}

export async function benchMain(argv: string[]): Promise<number> {
  const opts = parseBenchOptions(argv);
  const backends = opts.backends?.split(',').map((b) => b.trim());
  for (const b of backends ?? []) {
    if (!(BACKENDS as readonly string[]).includes(b) || b === 'auto') {
      throw new UserError(
        'usage',
        `unknown backend "${b}"; choose from ${BACKENDS.filter((x) => x !== 'auto').join(', ')}`,
      );
    }
  }
  const appSeconds = parseCount(opts.appSeconds, '--app-seconds');
  const opRequest = opts.ops ? opBenchRequest(opts) : undefined;
  const training = opts.training
    ? await runBenchmark(trainingRequest(opts, backends), (m) => process.stderr.write(`${m}\n`))
    : undefined;
  if (training && !opts.json) process.stdout.write(formatBenchReport(training));
  const ops = opRequest ? await opFigures(opRequest, training, Boolean(opts.json)) : undefined;
  const app: Record<string, unknown> = {};
  if (opts.app) {
    // out/main/bench.js -> the repository root, where bench/ and tsx are.
    const root = fileURLToPath(new URL('../..', import.meta.url));
    for (const bench of appBenches(appSeconds)) {
      if (!opts.json) process.stdout.write('\n');
      app[bench.name] = await runAppBench(root, bench, Boolean(opts.json));
    }
  }
  let store: unknown;
  if (opts.store) {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    if (!opts.json) process.stdout.write('\n');
    store = await runAppBench(root, STORE_BENCH, Boolean(opts.json));
  }
  let figureExport: unknown;
  if (opts.export) {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    if (!opts.json) process.stdout.write('\n');
    figureExport = await runAppBench(root, EXPORT_BENCH, Boolean(opts.json));
  }
  if (opts.json) {
    const doc = {
      ...(training ? benchJson(training) : {}),
      ...(ops ? { ops: opBenchJson(ops, training) } : {}),
      ...(opts.app ? { app } : {}),
      ...(opts.store ? { store } : {}),
      ...(opts.export ? { export: figureExport } : {}),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
  return 0;
}

/** The training part's request: vgg-mini at batch 128 with and without BN, then the CPU-scale presets. */
export function trainingRequest(opts: BenchOptions, backends: string[] | undefined): BenchmarkRequest {
  return {
    ...(backends ? { backends: backends as BackendName[] } : {}),
    normalizations: ['none', 'batch'],
    batchSize: 128,
    warmupSteps: 2,
    timedSteps: parseCount(opts.steps, '--steps'),
    softwareTimedSteps: 1,
    torchScript: opts.torchScript,
    ...(opts.torchThreads ? { torchThreads: parseCountList(opts.torchThreads, '--torch-threads') } : {}),
    ...(opts.wasmThreads ? { wasmThreads: parseCountList(opts.wasmThreads, '--wasm-threads') } : {}),
    python: opts.python,
    ...(opts.probePreset !== 'none' ? { probePreset: probePreset(opts.probePreset) } : {}),
    probeSteps: parseCount(opts.probeSteps, '--probe-steps'),
    ...(opts.presets ? { presets: cpuScalePresets() } : {}),
  };
}

function opBenchRequest(opts: BenchOptions): Parameters<typeof runOpBenchmark>[0] {
  const shapeSets = opts.opShapes.split(',').map((s) => s.trim());
  for (const s of shapeSets) {
    if (!(OP_SHAPE_SETS as readonly string[]).includes(s)) {
      throw new UserError(
        'usage',
        `--op-shapes: unknown shape set "${s}"; choose from ${OP_SHAPE_SETS.join(', ')}`,
      );
    }
  }
  const threads = opts.opThreads.split(',').map((t) => {
    const n = parseWasmThreads(t, '--op-threads');
    if (n === 'auto') throw new UserError('usage', '--op-threads takes thread counts, not "auto"');
    return n;
  });
  return {
    shapeSets: [...new Set(shapeSets)] as OpShapeSet[],
    threads,
    batchSize: 128,
    warmup: 2,
    reps: parseCount(opts.opReps, '--op-reps'),
    torchOpsScript: opts.opScript,
    python: opts.python,
  };
}

async function opFigures(
  req: Parameters<typeof runOpBenchmark>[0],
  training: BenchmarkReport | undefined,
  json: boolean,
): Promise<OpBenchmarkReport> {
  const ops = await runOpBenchmark(req, (m) => process.stderr.write(`${m}\n`));
  if (!json) process.stdout.write(formatOpReport(ops, training));
  return ops;
}

function probePreset(name: string): string {
  const preset = findPreset(name);
  if (!preset)
    throw new UserError('usage', `--probe-preset: unknown preset "${name}" (see \`normlab presets\`)`);
  const c = parseExperiment(preset.config, name);
  if (c.data.dataset !== 'cifar10') {
    throw new UserError(
      'usage',
      `--probe-preset: ${name} is not a CIFAR-10 network; the benchmark feeds 32x32x3 images`,
    );
  }
  return name;
}
