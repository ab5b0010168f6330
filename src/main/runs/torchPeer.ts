/**
 * The peer baseline: ../shared/bench/torch_vgg_cpu.py (PyTorch on the CPU) run in the same invocation
 * as NormLab's own benchmark, so the two are compared as a ratio on the same, noisy, machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TorchFigure {
  version: string;
  threads: number;
  bn: boolean;
  msPerStep: number;
  imagesPerSec: number;
  gflops: number;
}

export interface TorchPeerResult {
  figures: TorchFigure[];
  /** Why there are no figures (script or PyTorch missing, script failed). */
  error?: string;
}

const LINE = /^torch (\S+) threads=(\d+) bn=(True|False) ms\/step=([\d.]+) img\/s=([\d.]+) GFLOP\/s=([\d.]+)/;

export function parseTorchOutput(text: string): TorchFigure[] {
  return text
    .split('\n')
    .map((l) => LINE.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      version: m[1] as string,
      threads: Number(m[2]),
      bn: m[3] === 'True',
      msPerStep: Number(m[4]),
      imagesPerSec: Number(m[5]),
      gflops: Number(m[6]),
    }));
}

export function runTorchPeer(
  script: string,
  threads: number,
  python = '/usr/bin/python3',
): Promise<TorchPeerResult> {
  if (!existsSync(script))
    return Promise.resolve({ figures: [], error: `the peer script ${script} does not exist` });
  return new Promise((resolve) => {
    const child = spawn(python, [script, String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ figures: [], error: `could not start ${python}: ${e.message}` }));
    child.on('close', (code) => {
      const figures = parseTorchOutput(out);
      if (code === 0 && figures.length > 0) resolve({ figures });
      else {
        resolve({ figures, error: peerFailure('the PyTorch peer', code, err) });
      }
    });
  });
}

/** Why a peer script failed: its exit code, how to install PyTorch if that is what is missing, its last stderr line. */
export function peerFailure(what: string, code: number | null, stderr: string): string {
  const hint = /No module named 'torch'/.test(stderr)
    ? ' (install it: apt-get install -y python3-torch)'
    : '';
  return `${what} exited with code ${code}${hint}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
}
