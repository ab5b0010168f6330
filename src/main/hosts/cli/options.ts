/** Options shared by several commands. */
import { Option } from 'commander';
import type { Threads } from '../../../shared/api';
import { BACKENDS } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { MAX_WASM_THREADS, parseWasmThreads } from '../../../shared/wasmThreads';

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
    `CPU threads for the wasm backend, 1-${MAX_WASM_THREADS} or "auto" (default: every core, one for tiny networks)`,
  );
}

/** --threads as the request's typed field, checked here so a mistyped count fails before anything runs. */
export function parseThreads(threads: string | undefined): Threads | undefined {
  return threads === undefined ? undefined : parseWasmThreads(threads, '--threads');
}
