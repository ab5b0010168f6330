import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelSchema, type ModelConfig } from '../../../../src/shared/config';
import { lossAndGradients } from '../../../../src/main/engine/models/lossAndGradients';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import { disposeStats } from '../../../../src/main/engine/models/runningStats';
import { sumSquaredError } from '../../../../src/main/engine/losses/sumSquaredError';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CIFAR = { inputShape: [32, 32, 3], outputSize: 10 };
const names = (config: ModelConfig, task = CIFAR): string[] =>
  buildNetwork(config, task).params.map((p) => p.name);

describe('model.biasBeforeNorm', () => {
  it('off drops exactly the biases of the normalized layers', () => {
    for (const normalization of ['batch', 'noisy-batch', 'l1', 'l2', 'linf'] as const) {
      const on = names(modelSchema.parse({ network: 'vgg-tiny', normalization }));
      const off = names(modelSchema.parse({ network: 'vgg-tiny', normalization, biasBeforeNorm: false }));
      // vgg-tiny: conv layers 1-3 (normalized), output layer 4 (never normalized, keeps its bias).
      expect(on).toEqual(
        expect.arrayContaining(['layer1.bias', 'layer2.bias', 'layer3.bias', 'layer4.bias']),
      );
      expect(off).toEqual(on.filter((n) => !['layer1.bias', 'layer2.bias', 'layer3.bias'].includes(n)));
    }
    const mlp = { network: 'mlp', hidden: [8, 8], normalization: 'batch' } as const;
    const task = { inputShape: [5], outputSize: 3 };
    expect(names(modelSchema.parse({ ...mlp, biasBeforeNorm: false }), task)).toEqual(
      names(modelSchema.parse(mlp), task).filter((n) => n !== 'layer1.bias' && n !== 'layer2.bias'),
    );
  });

  it('changes nothing without a normalization, nor for dln25', () => {
    expect(names(modelSchema.parse({ network: 'vgg-tiny', biasBeforeNorm: false }))).toEqual(
      names(modelSchema.parse({ network: 'vgg-tiny' })),
    );
    const dln = { inputShape: [10], outputSize: 10 };
    expect(
      names(modelSchema.parse({ network: 'dln25', normalization: 'batch', biasBeforeNorm: false }), dln),
    ).toEqual(names(modelSchema.parse({ network: 'dln25', normalization: 'batch' }), dln));
  });

  it('the default (and a config without the key) keeps the parameter set of older runs', () => {
    const parsed = modelSchema.parse({ network: 'vgg-tiny', normalization: 'l2' });
    expect(parsed.biasBeforeNorm).toBe(true);
    // A ModelConfig built before the option existed (e.g. in a checkpoint's metadata) lacks the key.
    const { biasBeforeNorm: _, ...older } = parsed;
    const beforeOption = names(older as ModelConfig);
    expect(beforeOption).toEqual(names(parsed));
    expect(beforeOption).toContain('layer1.bias');
  });

  it('a network without those biases still trains: one SGD step lowers the loss', () => {
    const config = modelSchema.parse({
      network: 'mlp',
      hidden: [16, 16],
      normalization: 'l2',
      biasBeforeNorm: false,
    });
    const net = buildNetwork(config, { inputShape: [6], outputSize: 2 });
    const params = initParams(net, 3);
    const x = tf.randomNormal([32, 6], 0, 1, 'float32', 4);
    const y = tf.randomNormal([32, 2], 0, 1, 'float32', 5);
    const loss = (o: tf.Tensor2D): tf.Scalar => sumSquaredError(o, y);
    const step = (): { value: number; next: Record<string, tf.Tensor> } =>
      tf.tidy(() => {
        const r = lossAndGradients(net, params, x, loss, { training: true });
        disposeStats(r.batchStats);
        r.output.dispose();
        const next: Record<string, tf.Tensor> = {};
        for (const spec of net.params) {
          const g = r.grads[spec.name];
          expect(g && Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
          next[spec.name] = tf.keep(tf.sub(params[spec.name] as tf.Tensor, tf.mul(1e-3, g as tf.Tensor)));
        }
        return { value: r.loss.dataSync()[0] as number, next };
      });
    const before = step();
    const after = tf.tidy(() => {
      const r = lossAndGradients(net, before.next, x, loss, { training: true });
      disposeStats(r.batchStats);
      r.output.dispose();
      return r.loss.dataSync()[0] as number;
    });
    expect(Object.keys(params)).not.toContain('layer1.bias');
    expect(after).toBeLessThan(before.value);
    tf.dispose([x, y, ...Object.values(params), ...Object.values(before.next)]);
  });
});
