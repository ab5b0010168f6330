import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema, normalizableLayerCount, type ModelConfig } from '../../../../src/shared/config';
import { UserError } from '../../../../src/shared/errors';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { disposeStats, initRunningStats } from '../../../../src/main/engine/models/runningStats';
import { initParams } from '../../../../src/main/engine/models/params';
import type { Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { makeAlgorithm1Noise } from '../../../../src/main/engine/norms/noisyBatchNorm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CIFAR = { inputShape: [32, 32, 3], outputSize: 10 };
const DLN = { inputShape: [10], outputSize: 10 };

function model(input: Partial<ModelConfig> & { network: ModelConfig['network'] }): ModelConfig {
  return modelSchema.parse(input);
}

function count(net: Network): number {
  return net.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}

function disposeParams(p: ParamMap): void {
  for (const t of Object.values(p)) t.dispose();
}

describe('network shapes and parameter counts', () => {
  // Independent figures: Keras' VGG16 conv base (3 input channels) has 14,714,688 parameters; add
  // Linear(512 -> 10) = 5,130; BN adds gamma and beta for its 4,224 channels.
  it('vgg16 at width 1: 13 conv layers, Linear(512 -> 10)', () => {
    const plain = buildNetwork(model({ network: 'vgg16' }), CIFAR);
    expect(plain.numLayers).toBe(13);
    expect(count(plain)).toBe(14_714_688 + 5_130);
    expect(plain.params.find((p) => p.name === 'layer14.weight')?.shape).toEqual([512, 10]);
    expect(plain.params.find((p) => p.name === 'layer13.weight')?.shape).toEqual([3, 3, 512, 512]);
    const bn = buildNetwork(model({ network: 'vgg16', normalization: 'batch' }), CIFAR);
    expect(count(bn)).toBe(14_714_688 + 5_130 + 2 * 4_224);
    expect(bn.layerWidths).toEqual([64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]);
  });

  it('vgg16 at width 1/4: widths 16 ... 128 and Linear(128 -> 10)', () => {
    const net = buildNetwork(model({ network: 'vgg16', widthMultiplier: 0.25 }), CIFAR);
    expect(net.layerWidths).toEqual([16, 16, 32, 32, 64, 64, 64, 128, 128, 128, 128, 128, 128]);
    expect(net.params.find((p) => p.name === 'layer14.weight')?.shape).toEqual([128, 10]);
    expect(count(net)).toBe(922_074);
    expect(
      count(buildNetwork(model({ network: 'vgg16', widthMultiplier: 0.25, normalization: 'l2' }), CIFAR)),
    ).toBe(924_186);
  });

  it('vgg-mini: 64,M,128,M,256,M,512,M then Linear(2048 -> 10)', () => {
    const net = buildNetwork(model({ network: 'vgg-mini' }), CIFAR);
    expect(net.numLayers).toBe(4);
    expect(net.params.find((p) => p.name === 'layer5.weight')?.shape).toEqual([2048, 10]);
    // 3*64*9+64 + 64*128*9+128 + 128*256*9+256 + 256*512*9+512 + 2048*10+10
    expect(count(net)).toBe(1_571_466);
  });

  it('vgg-tiny: 16,M,32,M,64,M then Linear(1024 -> 10)', () => {
    const net = buildNetwork(model({ network: 'vgg-tiny' }), CIFAR);
    expect(net.numLayers).toBe(3);
    expect(net.params.find((p) => p.name === 'layer4.weight')?.shape).toEqual([1024, 10]);
    expect(count(net)).toBe(448 + 4_640 + 18_496 + 10_250);
    // 2 x multiply-adds: 32*32*9*3*16 + 16*16*9*16*32 + 8*8*9*32*64 + 1024*10.
    expect(net.flopsPerExample()).toBe(2 * (442_368 + 1_179_648 + 1_179_648 + 10_240));
  });

  it('dln25: 25 bias-free 10x10 maps, 24 normalizable, the 25th is the output layer', () => {
    const plain = buildNetwork(model({ network: 'dln25' }), DLN);
    expect(plain.numLayers).toBe(24);
    expect(plain.params.every((p) => p.role === 'weight' && p.shape.join() === '10,10')).toBe(true);
    expect(plain.params.map((p) => p.layer)).toEqual(Array.from({ length: 25 }, (_, k) => k + 1));
    expect(count(plain)).toBe(2_500);
    const bn = buildNetwork(model({ network: 'dln25', normalization: 'batch' }), DLN);
    expect(count(bn)).toBe(2_500 + 24 * 20);
    expect(bn.params.filter((p) => p.layer === 25).map((p) => p.role)).toEqual(['weight']);
  });

  it('mlp: hidden widths from the config, flattened input, linear output', () => {
    const net = buildNetwork(model({ network: 'mlp' }), CIFAR);
    expect(net.numLayers).toBe(2);
    expect(count(net)).toBe(3072 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
    const small = buildNetwork(model({ network: 'mlp', hidden: [5], normalization: 'linf' }), DLN);
    expect(small.params.map((p) => p.name)).toEqual([
      'layer1.weight',
      'layer1.bias',
      'layer1.gamma',
      'layer1.beta',
      'layer2.weight',
      'layer2.bias',
    ]);
  });

  it('numbers layers from 1 and never normalizes the output layer', () => {
    for (const network of ['vgg16', 'vgg-mini', 'vgg-tiny', 'mlp'] as const) {
      const net = buildNetwork(model({ network, normalization: 'batch', widthMultiplier: 0.25 }), CIFAR);
      const out = net.numLayers + 1;
      expect(net.params.filter((p) => p.layer === out).map((p) => p.role)).toEqual(['weight', 'bias']);
      for (let i = 1; i <= net.numLayers; i++) {
        expect(net.params.filter((p) => p.layer === i).map((p) => p.role)).toEqual([
          'weight',
          'bias',
          'gamma',
          'beta',
        ]);
      }
    }
  });

  it('rejects inputs a network cannot take, as config errors', () => {
    const bad = (f: () => unknown): void => {
      try {
        f();
        expect.unreachable('should throw');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).code).toBe('config');
      }
    };
    bad(() => buildNetwork(model({ network: 'vgg16' }), DLN));
    bad(() => buildNetwork(model({ network: 'vgg16' }), { inputShape: [16, 16, 3], outputSize: 10 }));
    bad(() => buildNetwork(model({ network: 'dln25' }), { inputShape: [20], outputSize: 20 }));
  });
});

describe('layer counts and shapes the probes rely on', () => {
  it.each([
    ['vgg16', CIFAR],
    ['vgg-mini', CIFAR],
    ['vgg-tiny', CIFAR],
    ['dln25', DLN],
    ['mlp', CIFAR],
  ] as const)("%s: the shared layer count (config validation) is the built network's", (network, task) => {
    const m = model({ network, hidden: [8, 8, 8] });
    expect(normalizableLayerCount(m)).toBe(buildNetwork(m, task).numLayers);
  });

  it('layerOutputShape is the shape forward gives each pre-activation', () => {
    for (const [network, task] of [
      ['vgg-tiny', CIFAR],
      ['dln25', DLN],
    ] as const) {
      const net = buildNetwork(model({ network, normalization: 'batch' }), task);
      const params = initParams(net, 1);
      const shapes = new Map<number, number[]>();
      const x = tf.zeros([3, ...task.inputShape]);
      const r = net.forward(params, x, { training: true, capture: (i, a) => shapes.set(i, a.shape) });
      for (let i = 1; i <= net.numLayers; i++)
        expect(net.layerOutputShape(i, 3), `${network} ${i}`).toEqual(shapes.get(i));
      expect(() => net.layerOutputShape(net.numLayers + 1, 3)).toThrow(/no layer/);
      r.output.dispose();
      disposeStats(r.batchStats);
      x.dispose();
      disposeParams(params);
    }
  });
});

describe('initParams', () => {
  it('draws Glorot-uniform weights in +-sqrt(6/(fan_in+fan_out)) (conv fan = 3*3*channels)', () => {
    const net = buildNetwork(model({ network: 'vgg-tiny', normalization: 'batch' }), CIFAR);
    const p = initParams(net, 3);
    const bounds: Record<string, number> = {
      'layer1.weight': Math.sqrt(6 / (27 + 144)),
      'layer2.weight': Math.sqrt(6 / (144 + 288)),
      'layer3.weight': Math.sqrt(6 / (288 + 576)),
      'layer4.weight': Math.sqrt(6 / (1024 + 10)),
    };
    for (const [name, r] of Object.entries(bounds)) {
      const v = (p[name] as tf.Tensor).dataSync();
      let max = 0;
      let sq = 0;
      for (const x of v) {
        max = Math.max(max, Math.abs(x));
        sq += x * x;
      }
      expect(max).toBeLessThanOrEqual(r);
      expect(max).toBeGreaterThan(0.97 * r);
      // Var U(-r, r) = r^2 / 3.
      expect(sq / v.length / ((r * r) / 3)).toBeGreaterThan(0.9);
      expect(sq / v.length / ((r * r) / 3)).toBeLessThan(1.1);
    }
    for (const i of [1, 2, 3]) {
      expect(Array.from((p[`layer${i}.bias`] as tf.Tensor).dataSync()).every((x) => x === 0)).toBe(true);
      expect(Array.from((p[`layer${i}.beta`] as tf.Tensor).dataSync()).every((x) => x === 0)).toBe(true);
      expect(Array.from((p[`layer${i}.gamma`] as tf.Tensor).dataSync()).every((x) => x === 1)).toBe(true);
    }
    disposeParams(p);
  });

  it('is deterministic per (seed, parameter name)', () => {
    const plain = buildNetwork(model({ network: 'vgg-tiny' }), CIFAR);
    const bn = buildNetwork(model({ network: 'vgg-tiny', normalization: 'batch' }), CIFAR);
    const a = initParams(plain, 7);
    const b = initParams(bn, 7);
    const c = initParams(plain, 8);
    const w = (m: ParamMap): number[] => Array.from((m['layer2.weight'] as tf.Tensor).dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach(disposeParams);
  });
});

describe('forward', () => {
  const x = (): tf.Tensor4D => tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;

  it('captures each hidden layer before the ReLU, in order, with NHWC shapes', () => {
    const net = buildNetwork(
      model({ network: 'vgg16', widthMultiplier: 0.25, normalization: 'batch' }),
      CIFAR,
    );
    const p = initParams(net, 1);
    const seen: [number, number[], number][] = [];
    tf.tidy(() => {
      const r = net.forward(p, x(), {
        training: true,
        capture: (layer, a) => {
          const { mean, variance } = tf.moments(a, [0, 1, 2]);
          seen.push([
            layer,
            a.shape,
            Math.max(...tf.abs(mean).dataSync(), ...tf.abs(tf.sub(variance, 1)).dataSync()),
          ]);
        },
      });
      expect(r.output.shape).toEqual([2, 10]);
      expect([...r.batchStats.keys()]).toEqual(Array.from({ length: 13 }, (_, k) => k + 1));
      disposeStats(r.batchStats);
    });
    expect(seen.map((s) => s[0])).toEqual(Array.from({ length: 13 }, (_, k) => k + 1));
    expect(seen[0]?.[1]).toEqual([2, 32, 32, 16]);
    expect(seen[2]?.[1]).toEqual([2, 16, 16, 32]);
    expect(seen[12]?.[1]).toEqual([2, 2, 2, 128]);
    // gamma = 1, beta = 0: every captured unit has batch mean 0 and variance 1 (it is pre-ReLU).
    // Layers 11-13 have only 2*2*2 = 8 values per unit, where eps matters more; allow 1e-3.
    for (const s of seen) expect(s[2]).toBeLessThan(1e-3);
    disposeParams(p);
  });

  it('eval mode uses running estimates: fresh ones (0, 1) make BN the identity', () => {
    const bn = buildNetwork(model({ network: 'vgg-tiny', normalization: 'batch' }), CIFAR);
    const plain = buildNetwork(model({ network: 'vgg-tiny' }), CIFAR);
    const p = initParams(bn, 2);
    const running = initRunningStats(bn);
    tf.tidy(() => {
      const input = x();
      const evalOut = bn.forward(p, input, { training: false, running }).output;
      const plainOut = plain.forward(p, input, { training: false }).output;
      const trainOut = bn.forward(p, input, { training: true }).output;
      const diff = tf.max(tf.abs(tf.sub(evalOut, plainOut))).dataSync()[0] as number;
      expect(diff).toBeLessThan(1e-4 * (tf.max(tf.abs(plainOut)).dataSync()[0] as number));
      expect(tf.max(tf.abs(tf.sub(trainOut, plainOut))).dataSync()[0]).toBeGreaterThan(1e-2);
    });
    disposeStats(running);
    disposeParams(p);
    expect(() => bn.forward(p, tf.zeros([1, 32, 32, 3]), { training: false })).toThrow(/running/);
  });

  it('noisy-batch adds Algorithm 1 noise after BN in training only', () => {
    const cfg = model({ network: 'vgg-tiny', normalization: 'noisy-batch', widthMultiplier: 0.5 });
    const noisy = buildNetwork(cfg, CIFAR);
    const bn = buildNetwork({ ...cfg, normalization: 'batch' }, CIFAR);
    const p = initParams(noisy, 4);
    const running = initRunningStats(noisy);
    tf.tidy(() => {
      const input = x();
      const captured = new Map<string, tf.Tensor>();
      const grab = (tag: string) => (layer: number, a: tf.Tensor) =>
        void captured.set(`${tag}${layer}`, tf.keep(a));
      noisy.forward(p, input, {
        training: true,
        noise: makeAlgorithm1Noise(cfg.noisy, 99),
        capture: grab('n'),
      });
      bn.forward(p, input, { training: true, capture: grab('b') });
      const n1 = makeAlgorithm1Noise(cfg.noisy, 99)(1, [2, 32, 32, 8]);
      const expected = tf.add(tf.mul(n1.scale, captured.get('b1') as tf.Tensor), n1.shift);
      expect(tf.max(tf.abs(tf.sub(expected, captured.get('n1') as tf.Tensor))).dataSync()[0]).toBeLessThan(
        1e-5,
      );
      // Replaying the step's seed replays its noise; evaluation has none.
      const again = noisy.forward(p, input, { training: true, noise: makeAlgorithm1Noise(cfg.noisy, 99) });
      const first = noisy.forward(p, input, { training: true, noise: makeAlgorithm1Noise(cfg.noisy, 99) });
      expect(Array.from(again.output.dataSync())).toEqual(Array.from(first.output.dataSync()));
      const evalNoisy = noisy.forward(p, input, { training: false, running }).output;
      const evalBn = bn.forward(p, input, { training: false, running }).output;
      expect(Array.from(evalNoisy.dataSync())).toEqual(Array.from(evalBn.dataSync()));
      for (const t of captured.values()) t.dispose();
      [again, first].forEach((r) => disposeStats(r.batchStats));
    });
    expect(() => noisy.forward(p, tf.zeros([1, 32, 32, 3]), { training: true })).toThrow(/noise/);
    disposeStats(running);
    disposeParams(p);
  });

  it('dln25 is linear: no bias, no ReLU (f(-x) = -f(x), f(2x) = 2f(x))', () => {
    const net = buildNetwork(model({ network: 'dln25' }), DLN);
    const p = initParams(net, 6);
    tf.tidy(() => {
      const input = tf.randomNormal([4, 10], 0, 1, 'float32', 1);
      const f = (v: tf.Tensor): tf.Tensor => net.forward(p, v, { training: true }).output;
      const y = f(input);
      expect(tf.max(tf.abs(tf.add(f(tf.neg(input)), y))).dataSync()[0]).toBeLessThan(1e-6);
      expect(tf.max(tf.abs(tf.sub(f(tf.mul(input, 2)), tf.mul(y, 2)))).dataSync()[0]).toBeLessThan(1e-5);
      // The product of the 25 maps, applied as row vectors: x W_1 ... W_25.
      let product: tf.Tensor = input;
      for (let i = 1; i <= 25; i++)
        product = tf.matMul(product as tf.Tensor2D, p[`layer${i}.weight`] as tf.Tensor2D);
      expect(tf.max(tf.abs(tf.sub(product, y))).dataSync()[0]).toBeLessThan(1e-6);
    });
    disposeParams(p);
  });

  it('leaves no tensors behind (batch statistics belong to the caller)', () => {
    const net = buildNetwork(
      model({ network: 'vgg-tiny', normalization: 'l1', widthMultiplier: 0.25 }),
      CIFAR,
    );
    const p = initParams(net, 1);
    const running = initRunningStats(net);
    const input = x();
    const before = tf.memory().numTensors;
    const r = net.forward(p, input, { training: true });
    expect(tf.memory().numTensors).toBe(before + 1 + 2 * 3);
    r.output.dispose();
    disposeStats(r.batchStats);
    net.forward(p, input, { training: false, running }).output.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeStats(running);
    disposeParams(p);
    input.dispose();
  });
});
