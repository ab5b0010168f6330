/**
 * What every probe writes, run through the ProbeRunner on a small BN network with all probes due:
 * one name per probe (ARCHITECTURE.md "Naming": config key = series prefix = record name), and
 * records that parse with their probe's schema (shared/probes.ts), computed or not.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import { measureBnGradients } from '../../../../src/main/engine/probes/bnGradientDecomposition';
import { ProbeRunner, snapshot, type ProbeStepOutput } from '../../../../src/main/engine/probes/probeRunner';
import { makeProbeContext } from './probeTestContext';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import {
  activationsDataSchema,
  activationsErrorSchema,
  bnGradientsDataSchema,
  hessianDataSchema,
  hessianErrorSchema,
  icsDataSchema,
  landscapeDataSchema,
  PROBE_NAMES,
  probeDataSchemas,
  probeErrorSchema,
  probeRecordSchema,
  type ProbeName,
} from '../../../../src/shared/probes';

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

/**
 * One probing step of `cfg` with fresh weights and batch; frees what it made. `poison` makes every
 * weight NaN (what a diverged run's probes would see).
 */
async function probeOnce(cfg: ExperimentConfig, poison = false): Promise<ProbeStepOutput> {
  const net = buildNetwork(cfg.model, { inputShape: [5], outputSize: 5 });
  const params = initParams(net, 1);
  if (poison) {
    for (const [name, t] of Object.entries(params)) {
      params[name] = tf.fill(t.shape, NaN);
      t.dispose();
    }
  }
  const x = tf.randomNormal([8, 5], 0, 1, 'float32', 3);
  const y = tf.randomNormal([8, 5], 0, 1, 'float32', 4);
  try {
    return await new ProbeRunner(net, cfg).run(
      { step: 1, before: snapshot(params), grads: snapshot(params) },
      {
        after: params,
        x,
        y,
        loss: (o) => tf.mean(tf.sum(tf.square(tf.sub(o, y)), 1)),
        forward: { training: true },
        lossValue: poison ? NaN : 1,
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

/** The variant a computed record of each probe has (the norms probe writes none). */
const computed = {
  ics: [icsDataSchema],
  landscape: [landscapeDataSchema],
  activations: [activationsDataSchema],
  norms: [],
  bnGradients: [bnGradientsDataSchema],
  hessian: [hessianDataSchema],
} as const;

describe("every probe record parses with its probe's schema", () => {
  it('as computed: the computed variant, nothing added, nothing dropped', async () => {
    const out = await probeOnce(config());
    const probes = new Set(out.records.map((r) => r.probe));
    expect([...probes].sort()).toEqual(PROBE_NAMES.filter((n) => n !== 'norms').sort());
    for (const r of out.records) {
      expect(probeRecordSchema.parse(r)).toEqual(r);
      const [schema] = computed[r.probe];
      expect(schema?.parse(r.data), r.probe).toEqual(r.data);
      expect(r.data.error, r.probe).toBeUndefined();
    }
  });

  it('when they could not be computed: the error variants', async () => {
    const out = await probeOnce(config(), true);
    const errors = new Map(out.records.map((r) => [r.probe, r.data]));
    for (const r of out.records) expect(probeRecordSchema.parse(r)).toEqual(r);
    // What each probe makes of NaN weights and a NaN loss.
    expect(activationsErrorSchema.parse(errors.get('activations')).error).toMatch(/non-finite/);
    expect(hessianErrorSchema.parse(errors.get('hessian')).error).toMatch(/the loss is NaN/);
    expect(landscapeDataSchema.parse(errors.get('landscape')).error).toMatch(/no finite loss/);
    expect(bnGradientsDataSchema.parse(errors.get('bnGradients')).error).toMatch(/non-finite/);
  });

  it('when a probe throws, or the network has no batch norm: { error } alone', async () => {
    const plain = config('bnGradients');
    plain.model.normalization = 'none';
    const net = buildNetwork(plain.model, { inputShape: [5], outputSize: 5 });
    const params = initParams(net, 1);
    const x = tf.randomNormal([8, 5], 0, 1, 'float32', 3);
    const t = makeProbeContext({
      net,
      params,
      x,
      y: x,
      loss: (o, y) => tf.sum(tf.square(tf.sub(o, y))),
      lr: 0.1,
    });
    const r = await measureBnGradients(t.ctx, [1]);
    t.dispose();
    tf.dispose([...Object.values(params), x]);
    expect(probeErrorSchema.parse(r.records[0]?.data)).toEqual({
      error: 'the network has no batch normalization',
    });
    for (const name of PROBE_NAMES) {
      expect(probeDataSchemas[name].parse({ error: 'why' })).toEqual({ error: 'why' });
      expect(probeRecordSchema.parse({ probe: name, step: 3, data: { error: 'why' } }).probe).toBe(name);
    }
  });

  it('refuses data of another probe, a field too many, and a non-number', () => {
    const ics = { layers: [1], l2: [0.5], cos: [NaN], gradNorm: [1], shiftedGradNorm: [1] };
    expect(probeRecordSchema.safeParse({ probe: 'ics', step: 1, data: ics }).success).toBe(true);
    expect(probeRecordSchema.safeParse({ probe: 'landscape', step: 1, data: ics }).success).toBe(false);
    expect(probeRecordSchema.safeParse({ probe: 'ics', step: 1, data: { ...ics, extra: 1 } }).success).toBe(
      false,
    );
    expect(
      probeRecordSchema.safeParse({ probe: 'ics', step: 1, data: { ...ics, l2: ['0.5'] } }).success,
    ).toBe(false);
    expect(probeRecordSchema.safeParse({ probe: 'norms', step: 1, data: {} }).success).toBe(false);
  });
});
