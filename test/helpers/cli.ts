/**
 * Runs the built `normlab` command (bin/normlab.js, as a user would) in a child process with
 * NORMLAB_HOME pointing at a test folder, and collects what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CLI_BIN, REPO_ROOT } from './repoPaths';

export interface CliResult {
  /** Exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** What the process printed so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<CliResult>;
}

/** `--set key=value` for each override. */
export function setArgs(...overrides: string[]): string[] {
  return overrides.flatMap((o) => ['--set', o]);
}

/** The database a CLI with this NORMLAB_HOME uses when --db is not given. */
export function homeDb(home: string): string {
  return join(home, 'data', 'normlab.sqlite');
}

function cliEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NORMLAB_HOME: home };
  // The user-error checks assert that no stack trace is printed; debug mode would print one.
  delete env['NORMLAB_DEBUG'];
  return env;
}

export function startCli(args: readonly string[], home: string): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs a command to its end; kills it (and fails) if it takes longer than `timeoutMs`. */
export async function runCli(args: readonly string[], home: string, timeoutMs = 90_000): Promise<CliResult> {
  const proc = startCli(args, home);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  try {
    const result = await proc.exited;
    if (result.signal === 'SIGKILL') {
      throw new Error(`normlab ${args.join(' ')} took more than ${timeoutMs} ms:\n${result.stderr}`);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command that must succeed and print JSON on stdout. */
export async function runCliJson<T>(args: readonly string[], home: string): Promise<T> {
  const result = await runCli(args, home);
  if (result.code !== 0) {
    throw new Error(`normlab ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** The id `normlab run` / `resume` announces on stderr ("run <id> (database ...)"). */
export function announcedRunId(stderr: string): string | undefined {
  return /^run ([0-9a-z]{8}) \(database /m.exec(stderr)?.[1];
}

/** A JavaScript stack frame ("    at fn (file:line:col)"), which a user error must never print. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}
