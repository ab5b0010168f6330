/**
 * Live latency of the run view (issue 7's benchmark): from a metric leaving the engine's worker to the
 * point drawn in the page, p50 / p95 / max, with a run streaming and every probe panel open; and the
 * longest main-thread task in the page meanwhile (PerformanceObserver 'longtask').
 *
 *   npx tsx bench/liveLatency.ts [--seconds 40] [--json] [--keep]
 *
 * Starts `normlab serve` on a temporary database (the built app: run `npm run build` first), starts a
 * vgg-tiny BN run on wasm with every probe on at a fast cadence (train metrics every step), opens the
 * run page with ?bench=1 in Debian's Chromium (playwright-core), and reads what the page recorded
 * (window.__normlabBench, see src/renderer/src/components/live/benchRecorder.ts). Targets: p95 < 250 ms,
 * longest task < 50 ms. Latencies are from the worker's emission when metrics events carry
 * `emittedAt`, else from their arrival in the page (the report says which).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Options {
  seconds: number;
  json: boolean;
  keep: boolean;
  chromium: string;
  dataDir: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    seconds: 40,
    json: false,
    keep: false,
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    dataDir: process.env.NORMLAB_CIFAR10 ?? resolve(root, '..', 'shared', 'data', 'cifar10'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') options.seconds = Number(argv[++i]);
    else if (a === '--json') options.json = true;
    else if (a === '--keep') options.keep = true;
    else if (a === '--chromium') options.chromium = String(argv[++i]);
    else if (a === '--data') options.dataDir = String(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(options.seconds > 0)) throw new Error('--seconds must be a positive number');
  return options;
}

/** The run: small and fast, every probe on, train metrics (and the norms probe) at every step. */
const OVERRIDES = [
  'schedule.steps=100000',
  'schedule.trainMetricsEvery=1',
  'schedule.testMetricsEvery=200',
  'schedule.checkpointEvery=0',
  'probes.ics.every=10',
  'probes.landscape.every=10',
  'probes.activations.every=10',
  'probes.bnGradients.every=10',
  'probes.hessian.every=50',
  'probes.hessian.maxIterations=5',
  'probes.hessian.traceSamples=2',
];

/** The project's own Node (the `node` dev dependency, 22.x) when present: normlab needs >= 22.12. */
function nodeBinary(): string {
  const local = join(root, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

function startServe(dir: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // Its own NORMLAB_HOME: the user's settings and data stay untouched.
  const home = join(dir, 'home');
  mkdirSync(join(home, 'config'), { recursive: true });
  writeFileSync(join(home, 'config', 'settings.json'), JSON.stringify({ cifar10Dir: dataDir, poolSize: 1 }));
  const args = [
    join(root, 'bin', 'normlab.js'),
    'serve',
    '--db',
    join(dir, 'bench.db'),
    '--port',
    '0',
    '--no-open',
  ];
  const child = spawn(nodeBinary(), args, {
    cwd: root,
    env: { ...process.env, NORMLAB_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`normlab serve printed no URL in 60 s:\n${out}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = out.match(/https?:\/\/\S+[?&]token=[A-Za-z0-9_-]+/);
      if (m) {
        clearTimeout(timer);
        resolveUrl({ child, url: m[0] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`normlab serve exited (${code}) before printing its URL:\n${out}`));
    });
  });
}

async function call<T>(base: URL, token: string, method: string, params: unknown): Promise<T> {
  const res = await fetch(new URL(`/api/call/${method}`, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
  return body.result as T;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

interface PageNumbers {
  latencies: number[];
  from: 'worker' | 'page';
  flushMs: number[];
  points: number;
  longTasks: { start: number; duration: number }[];
  now: number;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('the app is not built: run "npm run build" first');
  }
  if (!existsSync(options.chromium)) throw new Error(`no Chromium at ${options.chromium} (--chromium PATH)`);
  const dir = mkdtempSync(join(tmpdir(), 'normlab-live-latency-'));
  let serve: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    const started = await startServe(dir, options.dataDir);
    serve = started.child;
    const pageUrl = new URL(started.url);
    const token = pageUrl.searchParams.get('token') ?? '';
    const { runId } = await call<{ runId: string }>(pageUrl, token, 'runs.start', {
      preset: 'vgg-tiny-bn',
      overrides: OVERRIDES,
      backend: 'wasm',
      dataDir: options.dataDir,
      name: 'live-latency bench',
    });

    browser = await chromium.launch({ executablePath: options.chromium, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(() => {
      const w = globalThis as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
        // Node's types (this file's) know no 'longtask' entry type; the page's Chromium does.
      }).observe({ type: 'longtask' as 'mark', buffered: true });
    });
    pageUrl.searchParams.set('bench', '1');
    pageUrl.hash = `#/runs/${runId}`;
    await page.goto(pageUrl.toString());
    await page.waitForSelector('[data-testid="chart-train-loss"]', { timeout: 60_000 });
    // The measurement starts once points stream (the run has started and the page has settled).
    await page.waitForFunction(
      () =>
        ((globalThis as unknown as { __normlabBench?: { points: number } }).__normlabBench?.points ?? 0) > 0,
      undefined,
      { timeout: 180_000 },
    );
    await page.waitForTimeout(2000);
    const reset = await page.evaluate(() => {
      const w = globalThis as unknown as {
        __normlabBench: { latencies: number[]; flushMs: number[]; points: number };
      };
      w.__normlabBench.latencies.length = 0;
      w.__normlabBench.flushMs.length = 0;
      w.__normlabBench.points = 0;
      return performance.now();
    });
    await page.waitForTimeout(options.seconds * 1000);
    const numbers = (await page.evaluate(() => {
      const w = globalThis as unknown as {
        __normlabBench: { latencies: number[]; from: 'worker' | 'page'; flushMs: number[]; points: number };
        __longTasks: { start: number; duration: number }[];
      };
      return { ...w.__normlabBench, longTasks: w.__longTasks, now: performance.now() };
    })) as PageNumbers;
    const status = await page.textContent('[data-testid="run-status"]');
    await call(pageUrl, token, 'runs.stop', { runId }).catch(() => undefined);

    const latencies = [...numbers.latencies].sort((a, b) => a - b);
    const flush = [...numbers.flushMs].sort((a, b) => a - b);
    const tasks = numbers.longTasks.filter((t) => t.start >= reset);
    const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
    const result = {
      seconds: options.seconds,
      runStatus: status?.trim() ?? null,
      measuredFrom: numbers.from,
      points: latencies.length,
      latencyMs: {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        max: latencies[latencies.length - 1] ?? NaN,
      },
      chartRedrawMs: {
        p50: quantile(flush, 0.5),
        p95: quantile(flush, 0.95),
        max: flush[flush.length - 1] ?? NaN,
      },
      longTasks: tasks.length,
      longestTaskMs: longest,
      targets: { p95Ms: 250, longestTaskMs: 50 },
      pass: quantile(latencies, 0.95) < 250 && longest < 50,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '—');
      const lines = [
        `Live latency (${result.points} points over ${options.seconds} s, every probe panel open; from the ${
          numbers.from === 'worker'
            ? "worker's emission"
            : "event's arrival in the page (metrics carry no emittedAt)"
        } to drawn):`,
        `  p50 ${f(result.latencyMs.p50)} ms   p95 ${f(result.latencyMs.p95)} ms   max ${f(result.latencyMs.max)} ms   (target p95 < 250 ms)`,
        `  chart redraw p50 ${f(result.chartRedrawMs.p50)} ms, p95 ${f(result.chartRedrawMs.p95)} ms, max ${f(result.chartRedrawMs.max)} ms`,
        `  longest main-thread task ${f(longest)} ms (${tasks.length} tasks over 50 ms; target < 50 ms)`,
        `  ${result.pass ? 'PASS' : 'FAIL'}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (!result.pass) process.exitCode = 1;
  } finally {
    await browser?.close().catch(() => undefined);
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve?.once('exit', r));
      serve.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (serve.exitCode === null) serve.kill('SIGKILL');
    }
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
