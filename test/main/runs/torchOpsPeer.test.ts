import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OP_SHAPE_SETS, opApplies, opKindsOf, opLayers, opShape } from '../../../src/shared/bench';
import { parseTorchOpsOutput, runTorchOpsPeer } from '../../../src/main/runs/torchOpsPeer';

/** What bench/torch_ops.py prints: a header, then one line per op. */
const OUTPUT = [
  'torch-ops version=1.13.0a0 threads=1 batch=128',
  'op=conv-forward set=vgg-mini layer=1 shape=128x32x32x3->64 ms=14.210 gflops=31.90',
  'op=conv-dw set=vgg-mini layer=2 shape=128x16x16x64->128 ms=42.5 gflops=101.07',
  'op=bn set=vgg-mini layer=1 shape=128x32x32x64 ms=20.000',
  '',
].join('\n');

describe('parseTorchOpsOutput', () => {
  it('reads the version, the threads and every op line', () => {
    expect(parseTorchOpsOutput(OUTPUT)).toEqual({
      version: '1.13.0a0',
      threads: 1,
      timings: [
        {
          op: 'conv-forward',
          shapeSet: 'vgg-mini',
          layer: 1,
          shape: '128x32x32x3->64',
          ms: 14.21,
          gflops: 31.9,
        },
        {
          op: 'conv-dw',
          shapeSet: 'vgg-mini',
          layer: 2,
          shape: '128x16x16x64->128',
          ms: 42.5,
          gflops: 101.07,
        },
        { op: 'bn', shapeSet: 'vgg-mini', layer: 1, shape: '128x32x32x64', ms: 20 },
      ],
    });
  });

  it('skips warnings, unknown ops and sets, and malformed numbers; tolerates CRLF and indentation', () => {
    const noisy = [
      '/usr/lib/python3/dist-packages/torch/__init__.py:1: UserWarning: op=conv-dw',
      '  op=relu-grad set=vgg-mini layer=3 shape=128x8x8x256 ms=1.5\r',
      'op=softmax set=vgg-mini layer=1 shape=1 ms=1',
      'op=conv-dw set=resnet layer=1 shape=1 ms=1',
      'op=conv-dw set=vgg16 layer=x shape=1 ms=1',
      'op=conv-dw set=vgg16 layer=1 shape=1 ms=fast',
      'op=conv-dw set=vgg16 layer=1 shape=1 ms=1 gflops=nan',
      'op=conv-dw set=vgg16 layer=1 ms=1',
    ].join('\n');
    expect(parseTorchOpsOutput(noisy)).toEqual({
      timings: [{ op: 'relu-grad', shapeSet: 'vgg-mini', layer: 3, shape: '128x8x8x256', ms: 1.5 }],
    });
  });

  it('returns nothing for empty output', () => {
    expect(parseTorchOpsOutput('')).toEqual({ timings: [] });
  });
});

describe('runTorchOpsPeer', () => {
  const request = { shapeSets: [...OP_SHAPE_SETS], batchSize: 1, warmup: 0, reps: 1 };

  it('says so when the script does not exist, without starting anything', async () => {
    const r = await runTorchOpsPeer('/nonexistent/torch_ops.py', 1, request);
    expect(r).toEqual({
      threads: 1,
      timings: [],
      error: 'the per-op peer script /nonexistent/torch_ops.py does not exist',
    });
  });

  it('says why when the Python cannot be started', async () => {
    const r = await runTorchOpsPeer(resolve('bench', 'torch_ops.py'), 1, request, '/nonexistent/python3');
    expect(r.timings).toEqual([]);
    expect(r.error).toMatch(/^could not start \/nonexistent\/python3: /);
  });

  const hasTorch = (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // Batch 1, one call per op: well under a second. Checks the script against the engine's layer list.
  it.skipIf(!hasTorch)(
    "times the same ops on the same layers and shapes as NormLab's op benchmark",
    async () => {
      const r = await runTorchOpsPeer(resolve('bench', 'torch_ops.py'), 1, request);
      expect(r.error).toBeUndefined();
      expect(r.version).toMatch(/^\d+\.\d+/);
      const expected = OP_SHAPE_SETS.flatMap((set) =>
        opLayers(set).flatMap((layer) =>
          opKindsOf(set)
            .filter((op) => opApplies(op, layer))
            .map((op) => `${set} ${layer.index} ${op} ${opShape(op, layer, 1)}`),
        ),
      );
      expect(r.timings.map((t) => `${t.shapeSet} ${t.layer} ${t.op} ${t.shape}`).sort()).toEqual(
        expected.sort(),
      );
      for (const t of r.timings) {
        expect(t.ms).toBeGreaterThanOrEqual(0);
        expect(t.gflops !== undefined).toBe(t.op.startsWith('conv-'));
      }
    },
  );
});
