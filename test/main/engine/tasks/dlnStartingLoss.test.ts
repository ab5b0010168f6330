/**
 * The DLN's starting loss under each reading that concerns it (shared/readings.ts), from the real
 * pipeline (preset -> reading -> createTask -> buildNetwork -> forward -> task.loss), against an
 * independent computation in plain numbers: the unscaled task's standard normal draws scaled by s_x
 * and s_A, the 25 weight matrices multiplied out (batch norm per column by hand), and the reduction
 * written out.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';
import { findPreset } from '../../../../src/shared/presets';
import { applyReading, READINGS } from '../../../../src/shared/readings';
import { makeDlnTask } from '../../../../src/main/engine/data/dlnTask';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { at, must } from '../../../helpers/defined';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SAMPLES = 40;
const DIM = 10;
const SEED = 5;

type Matrix = number[][];

const rows = (v: Float32Array, n: number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * DIM, (i + 1) * DIM)));

const matMul = (a: Matrix, b: Matrix): Matrix =>
  a.map((r) => at(b, 0).map((_, j) => r.reduce((s, v, k) => s + v * at(at(b, k), j), 0)));

/** Batch norm of each column with the batch's biased variance, gamma 1, beta 0 (PAPER.md section 3). */
function batchNormColumns(h: Matrix, eps: number): Matrix {
  const m = h.length;
  const cols = at(h, 0).map((_, j) => {
    const mean = h.reduce((s, r) => s + at(r, j), 0) / m;
    const variance = h.reduce((s, r) => s + (at(r, j) - mean) ** 2, 0) / m;
    return { mean, sd: Math.sqrt(variance + eps) };
  });
  return h.map((r) => r.map((v, j) => (v - at(cols, j).mean) / at(cols, j).sd));
}

function configUnder(preset: string, reading: string): ExperimentConfig {
  const base = must(findPreset(preset)).config as Record<string, unknown>;
  const read = applyReading(base, must(READINGS.find((r) => r.name === reading)));
  const data = { ...(read['data'] as object), samples: SAMPLES };
  const schedule = { ...(read['schedule'] as object), batchSize: SAMPLES };
  return experimentSchema.parse({ ...read, data, schedule, seed: SEED });
}

function pipelineLoss(config: ExperimentConfig): number {
  return tf.tidy(() => {
    const task = createTask(config);
    const net = buildNetwork(config.model, task);
    const params = initParams(net, config.seed);
    const batch = task.trainBatch(1);
    const { output } = net.forward(params, batch.x, { training: true });
    return task.loss(output, batch.y).dataSync()[0] as number;
  });
}

function independentLoss(config: ExperimentConfig): number {
  const { inputStd, targetStd, lossReduction } = config.data;
  const unscaled = makeDlnTask(config.seed, SAMPLES, DIM, { inputStd: 1, targetStd: 1 });
  const x = rows(unscaled.x, SAMPLES).map((r) => r.map((v) => v * inputStd));
  const a = rows(unscaled.a, DIM).map((r) => r.map((v) => v * targetStd));
  const target = x.map((xi) => a.map((ar) => ar.reduce((s, v, c) => s + v * at(xi, c), 0)));
  const net = buildNetwork(config.model, { inputShape: [DIM], outputSize: DIM });
  const params = initParams(net, config.seed);
  let h = x;
  for (let layer = 1; layer <= 25; layer++) {
    const w = rows(must(params[`layer${layer}.weight`]).dataSync() as Float32Array, DIM);
    h = matMul(h, w);
    if (layer < 25 && config.model.normalization === 'batch') h = batchNormColumns(h, config.model.eps);
  }
  tf.dispose(Object.values(params));
  const sum = h.reduce((s, r, i) => s + r.reduce((t, v, j) => t + (v - at(at(target, i), j)) ** 2, 0), 0);
  const divisor = { sum: 1, 'sample-mean': SAMPLES, 'element-mean': SAMPLES * DIM }[lossReduction];
  return sum / divisor;
}

describe('the DLN starting loss under each reading', () => {
  const dlnReadings = READINGS.filter((r) => r.name === 'spec' || r.name.startsWith('dln-'));

  it('covers the DLN readings', () => {
    expect(dlnReadings.map((r) => r.name)).toEqual([
      'spec',
      'dln-mean-loss',
      'dln-element-mean-loss',
      'dln-paper-scale',
    ]);
  });

  for (const preset of ['dln25-plain', 'dln25-bn']) {
    for (const reading of dlnReadings) {
      it(`${preset} under ${reading.name} matches the independent computation`, () => {
        const config = configUnder(preset, reading.name);
        const expected = independentLoss(config);
        const got = pipelineLoss(config);
        expect(Math.abs(got - expected) / expected).toBeLessThan(1e-4);
      });
    }
  }

  it('the readings change the loss as their formulas say', () => {
    const spec = pipelineLoss(configUnder('dln25-plain', 'spec'));
    expect(pipelineLoss(configUnder('dln25-plain', 'dln-mean-loss'))).toBeCloseTo(spec / SAMPLES, 2);
    const elementMean = pipelineLoss(configUnder('dln25-plain', 'dln-element-mean-loss'));
    expect(elementMean).toBeCloseTo(spec / (SAMPLES * DIM), 3);
    expect(pipelineLoss(configUnder('dln25-plain', 'dln-paper-scale'))).toBeLessThan(0.6 * spec);
  });
});
