/** Options shared by several commands. */
import { Option } from 'commander';
import { BACKENDS } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { MAX_WASM_THREADS, parseWasmThreads, WASM_THREADS_ENV } from '../../../shared/wasmThreads';

export function dbOption(): Option {
  return new Option(
    '--db <path>',
    'SQLite database file (default: the "db" setting, else the user data directory)',
  );
}

export function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend').choices([...BACKENDS]);
}

export function jsonOption(): Option {
  return new Option('--json', 'print JSON for scripts');
}

/** A positive whole number typed for `flag`, else a usage error saying so. */
export function parseCount(v: string, flag: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n <= 0)
    throw new UserError('usage', `${flag} takes a positive whole number, not "${v}"`);
  return n;
}

/** "1,2" -> [1, 2]: a comma-separated list of positive whole numbers for `flag`. */
export function parseCountList(v: string, flag: string): number[] {
  return v.split(',').map((part) => parseCount(part, flag));
}

export function threadsOption(): Option {
  return new Option(
    '--threads <n>',
    `CPU threads for the wasm backend, 1-${MAX_WASM_THREADS} or "auto" (default: $${WASM_THREADS_ENV}, else every core)`,
  );
}

/**
 * Passes --threads to the engine workers this process starts (they copy the environment when they
 * start), after checking it, so a mistyped count fails here and not inside a run.
 */
export function applyThreadsOption(threads: string | undefined): void {
  if (threads === undefined) return;
  parseWasmThreads(threads, '--threads');
  process.env[WASM_THREADS_ENV] = threads.trim();
}
