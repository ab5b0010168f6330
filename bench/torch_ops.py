#!/usr/bin/python3
"""PyTorch's per-op timings on the CPU for the conv layers of one training step: the peer of NormLab's
op benchmark (src/main/engine/training/opBenchmark.ts), same logical shapes (NCHW here, NHWC there).

usage: torch_ops.py [THREADS] [--shapes vgg-mini,vgg16-quarter,vgg16] [--batch 128] [--warmup 2] [--reps 5]

THREADS defaults to 1. Shape sets: vgg-mini (conv3x3 pad 1, widths 64,128,256,512, each followed by
a 2x2 max-pool, on 32x32x3), vgg16 (13 convs, [64,64,M,128,128,M,256x3,M,512x3,M,512x3,M]) and
vgg16-quarter (its widths / 4). vgg-mini times every op of a conv block; the VGG16 sets the
convolutions only. The input gradient of layer 1 is not timed: a step never computes it (the input
is data), in PyTorch or in NormLab.

Each op: WARMUP calls, then the median wall time of REPS calls. Output, one line per op:
  torch-ops version=<v> threads=<t> batch=<n>
  op=<name> set=<set> layer=<i> shape=<shape> ms=<median> [gflops=<conv ops>]
with shape NxHxWxC->K for the convolutions (input, output channels) and NxHxWxK (the conv's output)
for the others. Conv FLOPs: 2 N H W C K 9 for forward, dW and dx alike (pad 1, stride 1).
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

SETS = {
    'vgg-mini': ([64, 'M', 128, 'M', 256, 'M', 512, 'M'], 1.0),
    'vgg16-quarter': ([64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'], 0.25),
    'vgg16': ([64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'], 1.0),
}
# The ops of a vgg-mini conv block; the VGG16 sets time the first three.
CONV_OPS = ['conv-forward', 'conv-dw', 'conv-dx']
BLOCK_OPS = CONV_OPS + ['bias-grad', 'bn', 'relu-grad', 'maxpool-grad']


def layers(name):
    """[(index, size, in channels, out channels, pooled)] on 32x32x3, widths as models/vgg.ts scales them."""
    widths, mult = SETS[name]
    out, size, c = [], 32, 3
    for w in widths:
        if w == 'M':
            out[-1] = out[-1][:4] + (True,)
            size //= 2
            continue
        k = max(1, round(w * mult))
        out.append((len(out) + 1, size, c, k, False))
        c = k
    return out


def median_ms(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def conv_backward(dy, x, w, mask):
    return torch.ops.aten.convolution_backward(
        dy, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('threads', nargs='?', type=int, default=1)
    p.add_argument('--shapes', default='vgg-mini')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--reps', type=int, default=5)
    a = p.parse_args()
    sets = [s.strip() for s in a.shapes.split(',') if s.strip()]
    for s in sets:
        if s not in SETS:
            p.error(f'unknown shape set {s!r}; choose from {", ".join(SETS)}')
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n = a.batch
    print(f'torch-ops version={torch.__version__} threads={a.threads} batch={n}', flush=True)
    for s in sets:
        ops = BLOCK_OPS if s == 'vgg-mini' else CONV_OPS
        for (i, size, c, k, pooled) in layers(s):
            x = torch.randn(n, c, size, size)
            w = torch.randn(k, c, 3, 3) * (2.0 / (9 * c)) ** 0.5
            dy = torch.randn(n, k, size, size)
            flops = 2 * n * size * size * c * k * 9
            timed = {
                'conv-forward': lambda: F.conv2d(x, w, padding=1),
                'conv-dw': lambda: conv_backward(dy, x, w, [False, True, False]),
                'conv-dx': lambda: conv_backward(dy, x, w, [True, False, False]),
                'bias-grad': lambda: dy.sum(dim=(0, 2, 3)),
            }
            if 'bn' in ops:
                y = torch.randn(n, k, size, size, requires_grad=True)
                gamma = torch.ones(k, requires_grad=True)
                beta = torch.zeros(k, requires_grad=True)
                relu_out = torch.relu(y.detach())
                timed['bn'] = lambda: torch.autograd.grad(
                    F.batch_norm(y, None, None, gamma, beta, training=True, momentum=0.0, eps=1e-5),
                    (y, gamma, beta), dy)
                # What ReluBackward0 runs: dy where relu(y) > 0.
                timed['relu-grad'] = lambda: torch.ops.aten.threshold_backward(dy, relu_out, 0)
                if pooled:
                    a_in = torch.randn(n, k, size, size)
                    _, idx = torch.ops.aten.max_pool2d_with_indices(a_in, [2, 2], [2, 2])
                    dyp = torch.randn(n, k, size // 2, size // 2)
                    timed['maxpool-grad'] = lambda: torch.ops.aten.max_pool2d_with_indices_backward(
                        dyp, a_in, [2, 2], [2, 2], [0, 0], [1, 1], False, idx)
            for op in ops:
                if op not in timed or (op == 'conv-dx' and i == 1):
                    continue
                with torch.no_grad() if op != 'bn' else torch.enable_grad():
                    ms = median_ms(timed[op], a.warmup, a.reps)
                shape = f'{n}x{size}x{size}x{c}->{k}' if op in CONV_OPS else f'{n}x{size}x{size}x{k}'
                g = f' gflops={flops / ms / 1e6:.2f}' if op in CONV_OPS else ''
                print(f'op={op} set={s} layer={i} shape={shape} ms={ms:.3f}{g}', flush=True)


if __name__ == '__main__':
    main()
