/**
 * The per-op peer: bench/torch_ops.py (PyTorch on the CPU) timing the same ops on the same shapes as
 * engine/training/opBenchmark.ts, run in the same invocation so the two compare on the same machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { OP_KINDS, OP_SHAPE_SETS, type OpKind, type OpShapeSet, type OpTiming } from '../../shared/bench';
import { peerFailure } from './torchPeer';

export interface TorchOpsRequest {
  shapeSets: OpShapeSet[];
  batchSize: number;
  warmup: number;
  reps: number;
}

export interface TorchOpsResult {
  /** The threads asked for. */
  threads: number;
  /** PyTorch's version, from the script's header line. */
  version?: string;
  timings: OpTiming[];
  /** Why there are no (or not all) timings: script or PyTorch missing, script failed. */
  error?: string;
}

const HEADER = /^torch-ops version=(\S+) threads=(\d+) batch=(\d+)/;
const NUMBER = /^\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** The header and op lines of bench/torch_ops.py's output; other lines (warnings) are skipped. */
export function parseTorchOpsOutput(text: string): {
  version?: string;
  threads?: number;
  timings: OpTiming[];
} {
  let version: string | undefined;
  let threads: number | undefined;
  const timings: OpTiming[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = HEADER.exec(line);
    if (header) {
      version = header[1];
      threads = Number(header[2]);
      continue;
    }
    if (!line.startsWith('op=')) continue;
    const fields = new Map(
      line.split(/\s+/).map((kv) => {
        const eq = kv.indexOf('=');
        return [kv.slice(0, eq), kv.slice(eq + 1)] as const;
      }),
    );
    const op = fields.get('op');
    const set = fields.get('set');
    const layer = fields.get('layer');
    const shape = fields.get('shape');
    const ms = fields.get('ms');
    const gflops = fields.get('gflops');
    if (
      !(OP_KINDS as readonly string[]).includes(op ?? '') ||
      !(OP_SHAPE_SETS as readonly string[]).includes(set ?? '') ||
      !/^\d+$/.test(layer ?? '') ||
      !shape ||
      !NUMBER.test(ms ?? '') ||
      (gflops !== undefined && !NUMBER.test(gflops))
    ) {
      continue;
    }
    timings.push({
      op: op as OpKind,
      shapeSet: set as OpShapeSet,
      layer: Number(layer),
      shape,
      ms: Number(ms),
      ...(gflops !== undefined ? { gflops: Number(gflops) } : {}),
    });
  }
  return {
    ...(version !== undefined ? { version } : {}),
    ...(threads !== undefined ? { threads } : {}),
    timings,
  };
}

export function runTorchOpsPeer(
  script: string,
  threads: number,
  req: TorchOpsRequest,
  python = '/usr/bin/python3',
): Promise<TorchOpsResult> {
  if (!existsSync(script)) {
    return Promise.resolve({
      threads,
      timings: [],
      error: `the per-op peer script ${script} does not exist`,
    });
  }
  const args = [
    script,
    String(threads),
    '--shapes',
    req.shapeSets.join(','),
    '--batch',
    String(req.batchSize),
    '--warmup',
    String(req.warmup),
    '--reps',
    String(req.reps),
  ];
  return new Promise((resolve) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) =>
      resolve({ threads, timings: [], error: `could not start ${python}: ${e.message}` }),
    );
    child.on('close', (code) => {
      const parsed = parseTorchOpsOutput(out);
      const result: TorchOpsResult = {
        threads,
        ...(parsed.version !== undefined ? { version: parsed.version } : {}),
        timings: parsed.timings,
      };
      if (code !== 0 || parsed.timings.length === 0) {
        result.error = peerFailure('the per-op PyTorch peer', code, err);
      }
      resolve(result);
    });
  });
}
