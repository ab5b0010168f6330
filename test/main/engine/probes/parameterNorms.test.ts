import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureParameterNorms } from '../../../../src/main/engine/probes/parameterNorms';
import { must } from '../../../helpers/defined';
import { buildTestContext, type TestContextInput } from './probeContextForTests';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** ||t||_2 in float64 from the tensor's data. */
function jsNorm(t: tf.Tensor): number {
  let s = 0;
  for (const v of t.dataSync()) s += v * v;
  return Math.sqrt(s);
}

describe('measureParameterNorms', () => {
  const cases: [string, TestContextInput['model'], number[]][] = [
    [
      'vgg-tiny (1/4), batch norm',
      { network: 'vgg-tiny', widthMultiplier: 0.25, normalization: 'batch' },
      [32, 32, 3],
    ],
    ['mlp, no normalization', { network: 'mlp', hidden: [7, 5, 3] }, [6]],
  ];
  for (const [name, model, inputShape] of cases) {
    it(`matches plain-JS Frobenius norms: ${name}`, async () => {
      const { ctx, tensors, dispose } = buildTestContext({
        model,
        inputShape,
        classes: 4,
        batch: 3,
        seed: 5,
        step: 9,
      });
      const start = tf.memory().numTensors;
      const r = await measureParameterNorms(ctx);
      expect(tf.memory().numTensors).toBe(start);
      expect(tensors.every((t) => !t.isDisposed)).toBe(true);
      expect(r.records).toEqual([]);
      expect(r.passes).toEqual({ forward: 0, backward: 0 });

      const byName = new Map(r.points.map((p) => [p.series, p.value]));
      expect(r.points.every((p) => p.step === 9)).toBe(true);
      const layers = ctx.net.numLayers + 1;
      expect(r.points).toHaveLength(2 * layers + 1);
      for (let i = 1; i <= layers; i++) {
        const grad = jsNorm(ctx.grads[`layer${i}.weight`] as tf.Tensor);
        const weight = jsNorm(ctx.after[`layer${i}.weight`] as tf.Tensor);
        expect(grad).toBeGreaterThan(0);
        expect(byName.get(`probe/norms/grad_norm/layer${i}`)).toBeCloseTo(grad, 5);
        expect(must(byName.get(`probe/norms/weight_norm/layer${i}`)) / weight).toBeCloseTo(1, 5);
        // w_k, not w_{k-1}: the two differ by lr g.
        expect(Math.abs(weight - jsNorm(ctx.before[`layer${i}.weight`] as tf.Tensor))).toBeGreaterThan(0);
      }
      const total = Math.sqrt(
        ctx.net.params.reduce((s, p) => s + jsNorm(ctx.grads[p.name] as tf.Tensor) ** 2, 0),
      );
      const weightsOnly = Math.sqrt(
        Array.from(
          { length: layers },
          (_, k) => jsNorm(ctx.grads[`layer${k + 1}.weight`] as tf.Tensor) ** 2,
        ).reduce((a, b) => a + b),
      );
      expect(must(byName.get('probe/norms/grad_norm/total')) / total).toBeCloseTo(1, 5);
      // The total covers biases (and gamma/beta), not the weights alone.
      expect(total).toBeGreaterThan(weightsOnly * (1 + 1e-6));
      dispose();
    });
  }
});
