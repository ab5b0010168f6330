import { describe, expect, it } from 'vitest';
import { parseTorchOutput, runTorchPeer } from '../../../src/main/runs/torchPeer';

/** What ../shared/bench/torch_vgg_cpu.py prints: one line per model, bn=False then bn=True. */
const OUTPUT = [
  'torch 2.1.2+cpu threads=2 bn=False ms/step=812.3 img/s=158 GFLOP/s=36.4',
  'torch 2.1.2+cpu threads=2 bn=True ms/step=1003.9 img/s=128 GFLOP/s=29.4',
  '',
].join('\n');

describe('parseTorchOutput', () => {
  it('reads every figure of the peer script', () => {
    expect(parseTorchOutput(OUTPUT)).toEqual([
      { version: '2.1.2+cpu', threads: 2, bn: false, msPerStep: 812.3, imagesPerSec: 158, gflops: 36.4 },
      { version: '2.1.2+cpu', threads: 2, bn: true, msPerStep: 1003.9, imagesPerSec: 128, gflops: 29.4 },
    ]);
  });

  it('skips warnings and other noise, and tolerates CRLF and indentation', () => {
    const noisy = [
      '/usr/lib/python3/dist-packages/torch/__init__.py:1: UserWarning: something',
      '  torch 2.6.0 threads=16 bn=True ms/step=55.0 img/s=2327 GFLOP/s=420.1\r',
      'torch threads=2 bn=True ms/step=1 img/s=1 GFLOP/s=1',
      'torch 2.6.0 threads=2 bn=maybe ms/step=1 img/s=1 GFLOP/s=1',
    ].join('\n');
    expect(parseTorchOutput(noisy)).toEqual([
      { version: '2.6.0', threads: 16, bn: true, msPerStep: 55, imagesPerSec: 2327, gflops: 420.1 },
    ]);
  });

  it('returns nothing for empty output', () => {
    expect(parseTorchOutput('')).toEqual([]);
  });
});

describe('runTorchPeer', () => {
  it('says so when the script does not exist, without starting anything', async () => {
    const r = await runTorchPeer('/nonexistent/torch_vgg_cpu.py', 1);
    expect(r.figures).toEqual([]);
    expect(r.error).toBe('the peer script /nonexistent/torch_vgg_cpu.py does not exist');
  });
});
