/**
 * The store benchmark of `npm run bench` (issue 8): src/main/store/lodBench.ts run from the checkout
 * under tsx, by path, like the app benchmarks: the host layer does not open the store itself.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = 'src/main/store/lodBench.ts';

/**
 * Runs the store benchmark in the repository at `root`. With `json`, returns its parsed JSON result
 * (or `{ error }` naming why it could not run); otherwise its lines go to stdout as they come.
 */
export function runStoreBench(root: string, json: boolean): Promise<unknown> {
  const script = join(root, SCRIPT);
  if (!existsSync(script)) {
    return Promise.resolve({ error: `${script} is missing (the store benchmark runs from a checkout)` });
  }
  const args = ['--import', 'tsx', script, ...(json ? ['--json'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve) => {
    child.on('error', (e) => resolve({ error: `${SCRIPT} could not start: ${e.message}` }));
    child.on('close', (code) => {
      if (!json) return resolve({ exitCode: code });
      try {
        resolve(JSON.parse(out) as unknown);
      } catch {
        resolve({ error: `${SCRIPT} exited ${code} without a JSON result (its messages are above)` });
      }
    });
  });
}
