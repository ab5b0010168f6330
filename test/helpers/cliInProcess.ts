/**
 * Runs `normlab` commands in the test's own process: the CLI host's main (src/main/hosts/cli/main.ts,
 * what bin/normlab.js calls in the bundle) with its arguments, NORMLAB_HOME pointing at a test folder,
 * and what it writes to stdout and stderr captured. Many commands then cost one module load, not a
 * process each; the bundle itself is tested by the spawned end-to-end tests (cli.ts).
 */
import { main } from '../../src/main/hosts/cli/main';
import type { CliResult } from './cli';

type Write = typeof process.stdout.write;

/** A stand-in for stream.write that keeps the text and calls the write's callback, if any. */
function capture(into: string[]): Write {
  return ((chunk: unknown, encodingOrDone?: unknown, done?: unknown): boolean => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof callback === 'function') (callback as () => void)();
    return true;
  }) as Write;
}

/** Runs one command to its end; commands must not run concurrently (they share the process's streams). */
export async function runCliInProcess(args: readonly string[], home: string): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = {
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    home: process.env['NORMLAB_HOME'],
  };
  process.env['NORMLAB_HOME'] = home;
  process.exitCode = undefined;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    const code = await main([...args]);
    return { code, signal: null, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    if (saved.home === undefined) delete process.env['NORMLAB_HOME'];
    else process.env['NORMLAB_HOME'] = saved.home;
    process.exitCode = undefined;
  }
}
