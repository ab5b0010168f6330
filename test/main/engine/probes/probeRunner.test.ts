import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import { ProbeRunner, snapshot } from '../../../../src/main/engine/probes/probeRunner';
import { experimentSchema, type ExperimentInput } from '../../../../src/shared/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function config(probes: object, normalization: 'none' | 'batch' = 'batch') {
  const input: ExperimentInput = {
    model: { network: 'mlp', normalization, hidden: [4, 3] },
    data: { dataset: 'dln-synthetic', dim: 5, samples: 8 },
    optimizer: { lr: 0.1 },
    schedule: { steps: 10, batchSize: 8, trainMetricsEvery: 5 },
    probes: probes as ExperimentInput['probes'],
  };
  return experimentSchema.parse(input);
}

describe('ProbeRunner.due', () => {
  it('runs each probe at step 1 and every `every` steps; norms with the train metrics', () => {
    const c = config({ landscape: { every: 3 }, ics: { every: 4 } });
    const runner = new ProbeRunner(buildNetwork(c.model, { inputShape: [5], outputSize: 5 }), c);
    expect(runner.due(1)).toEqual(['ics', 'landscape', 'norms']);
    expect(runner.due(2)).toEqual([]);
    expect(runner.due(3)).toEqual(['landscape']);
    expect(runner.due(4)).toEqual(['ics']);
    expect(runner.due(5)).toEqual(['norms']);
    expect(runner.due(12)).toEqual(['ics', 'landscape']);
  });

  it('skips the BN decomposition on a network without batch norm', () => {
    const plain = config({ bnGradients: { every: 1 } }, 'none');
    const net = buildNetwork(plain.model, { inputShape: [5], outputSize: 5 });
    expect(new ProbeRunner(net, plain).due(2)).toEqual([]);
    const bn = config({ bnGradients: { every: 1 } });
    expect(new ProbeRunner(net, bn).due(2)).toEqual(['bnGradients']);
  });
});

describe('ProbeRunner.run', () => {
  it('records why a probe failed, runs the others, frees what the failed one made and the inputs', async () => {
    const c = config({ landscape: { every: 1 }, ics: { every: 1 } });
    const net = buildNetwork(c.model, { inputShape: [5], outputSize: 5 });
    const params = initParams(net, 1);
    const x = tf.randomNormal([8, 5], 0, 1, 'float32', 3);
    const y = tf.randomNormal([8, 5], 0, 1, 'float32', 4);
    const start = tf.memory().numTensors;
    const runner = new ProbeRunner(net, c, {
      ics: () => {
        tf.ones([100]); // left behind on purpose
        return Promise.reject(new Error('ics exploded'));
      },
    });
    const grads = snapshot(params);
    const out = await runner.run(
      { step: 1, before: snapshot(params), grads },
      {
        after: params,
        x,
        y,
        loss: (o) => tf.sum(tf.square(tf.sub(o, y))),
        forward: { training: true },
        lossValue: 1,
        lr: 0.1,
      },
    );
    expect(out.records.find((r) => r.probe === 'ics')).toEqual({
      probe: 'ics',
      step: 1,
      data: { error: 'ics exploded' },
    });
    expect(out.points.some((p) => p.series === 'probe/landscape/beta_eff')).toBe(true);
    expect(out.points.some((p) => p.series === 'probe/ics/cost/ms')).toBe(false);
    expect(out.points.find((p) => p.series === 'probe/landscape/cost/backward_passes')?.value).toBe(4);
    // The snapshot and the gradient copies are freed with everything the probes made.
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([...Object.values(params), x, y]);
  });
});
