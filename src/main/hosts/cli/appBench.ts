/**
 * The benchmarks `npm run bench` runs as scripts of the checkout, after the training figures: the
 * app's (the runs table's first paint with 10,000 stored runs, the live view's metric-to-drawn
 * latency with every probe panel open, and the compare view of 10 runs x 1M points drawn from the
 * store: bench/runsTablePaint.ts, bench/liveLatency.ts and bench/comparePaint.ts, each against
 * `normlab serve` in Debian's Chromium), the store's (src/main/store/lodBench.ts: the host layer
 * does not open the store itself) and the figure export's (bench/figureExport.ts). Each runs as its own process so that its browser, server or
 * database never shares this one's event loop with the training benchmark.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface AppBench {
  name: string;
  script: string;
  args: string[];
}

export function appBenches(liveSeconds: number): AppBench[] {
  return [
    { name: 'runsTablePaint', script: 'bench/runsTablePaint.ts', args: [] },
    { name: 'liveLatency', script: 'bench/liveLatency.ts', args: ['--seconds', String(liveSeconds)] },
    // The compare view of 10 runs x 1M points, store to drawn chart (issue 8; target < 300 ms).
    { name: 'comparePaint', script: 'bench/comparePaint.ts', args: [] },
  ];
}

export const STORE_BENCH: AppBench = { name: 'store', script: 'src/main/store/lodBench.ts', args: [] };

/** A six-panel paper figure exported as PDF and as PNG at 300 DPI (bench/figureExport.ts). */
export const EXPORT_BENCH: AppBench = { name: 'export', script: 'bench/figureExport.ts', args: [] };

/**
 * Runs one benchmark script from the repository at `root` under tsx. With `json`, returns its parsed
 * JSON result (or `{ error }` naming why it could not run); otherwise its lines go to stdout as
 * they come.
 */
export function runAppBench(root: string, bench: AppBench, json: boolean): Promise<unknown> {
  const script = join(root, bench.script);
  if (!existsSync(script)) {
    return Promise.resolve({ error: `${script} is missing (these benchmarks run from a checkout)` });
  }
  const args = ['--import', 'tsx', script, ...bench.args, ...(json ? ['--json'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve) => {
    child.on('error', (e) => resolve({ error: `${bench.script} could not start: ${e.message}` }));
    child.on('close', (code) => {
      if (!json) return resolve({ exitCode: code });
      try {
        resolve(JSON.parse(out) as unknown);
      } catch {
        resolve({ error: `${bench.script} exited ${code} without a JSON result (its messages are above)` });
      }
    });
  });
}
