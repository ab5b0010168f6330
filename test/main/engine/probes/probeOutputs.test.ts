/**
 * What every probe writes, run through the ProbeRunner on a small BN network with all probes due:
 * one name per probe (ARCHITECTURE.md "Naming": config key = series prefix = record name).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import { ProbeRunner, snapshot, type ProbeStepOutput } from '../../../../src/main/engine/probes/probeRunner';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import { PROBE_NAMES, type ProbeName } from '../../../../src/shared/probes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** An MLP 5 -> 4 -> 3 -> 5 with batch norm; `only` due at every step (all when undefined). */
function config(only?: ProbeName): ExperimentConfig {
  const every = (name: ProbeName): number => (only === undefined || only === name ? 1 : 0);
  return experimentSchema.parse({
    model: { network: 'mlp', normalization: 'batch', hidden: [4, 3] },
    data: { dataset: 'dln-synthetic', dim: 5, samples: 8 },
    optimizer: { lr: 0.1 },
    schedule: { steps: 10, batchSize: 8, trainMetricsEvery: 1 },
    probes: {
      ics: { every: every('ics') },
      landscape: { every: every('landscape') },
      activations: { every: every('activations'), bins: 4 },
      norms: { every: every('norms') },
      bnGradients: { every: every('bnGradients') },
      hessian: { every: every('hessian'), maxIterations: 3, traceSamples: 2 },
    },
  });
}

/** One probing step of `cfg` at step `step` with fresh weights and batch; frees what it made. */
async function probeOnce(cfg: ExperimentConfig, step = 1): Promise<ProbeStepOutput> {
  const net = buildNetwork(cfg.model, { inputShape: [5], outputSize: 5 });
  const params = initParams(net, 1);
  const x = tf.randomNormal([8, 5], 0, 1, 'float32', 3);
  const y = tf.randomNormal([8, 5], 0, 1, 'float32', 4);
  try {
    return await new ProbeRunner(net, cfg).run(
      { step, before: snapshot(params), grads: snapshot(params) },
      {
        after: params,
        x,
        y,
        loss: (o) => tf.mean(tf.sum(tf.square(tf.sub(o, y)), 1)),
        forward: { training: true },
        lossValue: 1,
        lr: 0.1,
      },
    );
  } finally {
    tf.dispose([...Object.values(params), x, y]);
  }
}

describe('every probe writes under its own name', () => {
  it.each(PROBE_NAMES)('%s: every series under probe/NAME/, every record named NAME', async (name) => {
    const out = await probeOnce(config(name));
    expect(out.points.length).toBeGreaterThan(0);
    for (const p of out.points) expect(p.series.startsWith(`probe/${name}/`), p.series).toBe(true);
    expect(out.points.map((p) => p.series)).toContain(`probe/${name}/cost/ms`);
    for (const r of out.records) expect(r.probe).toBe(name);
  });

  it('no series prefix under probe/ is anything but a probe name', async () => {
    const out = await probeOnce(config());
    const prefixes = new Set(out.points.map((p) => p.series.split('/')[1]));
    expect([...prefixes].sort()).toEqual([...PROBE_NAMES].sort());
  });
});
