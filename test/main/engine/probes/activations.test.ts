import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeStats } from '../../../../src/main/engine/models/runningStats';
import { measureActivations, probedUnit } from '../../../../src/main/engine/probes/activations';
import type { ProbeContext } from '../../../../src/main/engine/probes/probe';
import { at, must } from '../../../helpers/defined';
import { buildTestContext, type TestContextInput } from './probeContextForTests';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface HistogramData {
  layer: number;
  unit: number;
  edges: number[];
  counts: number[];
  count: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
  degenerate: boolean;
}

const vggTiny: TestContextInput = {
  model: { network: 'vgg-tiny', widthMultiplier: 0.25, normalization: 'noisy-batch' },
  inputShape: [32, 32, 3],
  classes: 10,
  batch: 4,
  seed: 3,
  runSeed: 17,
  gamma: [0.5, 1.5],
  beta: [-0.5, 0.5],
};

/** Every layer's pre-activation (what capture sees) from our own forward pass, as plain arrays. */
function capturedByLayer(ctx: ProbeContext): Map<number, { data: Float32Array; width: number }> {
  const out = new Map<number, { data: Float32Array; width: number }>();
  const r = ctx.net.forward(ctx.before, ctx.x, {
    ...ctx.forward,
    capture: (layer, a) =>
      out.set(layer, { data: a.dataSync() as Float32Array, width: a.shape[a.rank - 1] as number }),
  });
  r.output.dispose();
  disposeStats(r.batchStats);
  return out;
}

function histogramOf(data: unknown): HistogramData {
  return data as HistogramData;
}

describe('measureActivations', () => {
  it('summarizes the fixed unit of each layer like a plain-JS computation on independently captured values', async () => {
    const { ctx, tensors, dispose } = buildTestContext(vggTiny);
    const bins = 12;
    const start = tf.memory().numTensors;
    const r = await measureActivations(ctx, [1, 2, 3], bins);
    expect(tf.memory().numTensors).toBe(start);
    expect(tensors.every((t) => !t.isDisposed)).toBe(true);
    expect(r.passes).toEqual({ forward: 1, backward: 0 });
    expect(r.records).toHaveLength(3);
    expect(r.points.map((p) => p.series)).toEqual([
      'probe/activations/layer1/mean',
      'probe/activations/layer1/var',
      'probe/activations/layer2/mean',
      'probe/activations/layer2/var',
      'probe/activations/layer3/mean',
      'probe/activations/layer3/var',
    ]);

    const captured = capturedByLayer(ctx);
    for (const record of r.records) {
      expect(record.probe).toBe('activations');
      expect(record.step).toBe(ctx.step);
      const h = histogramOf(record.data);
      const shape = ctx.net.layerOutputShape(h.layer, vggTiny.batch);
      const m = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      expect(h.count).toBe(m);
      expect(h.counts).toHaveLength(bins);
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(m);
      expect(h.edges).toHaveLength(bins + 1);
      for (let b = 0; b < bins; b++) expect(at(h.edges, b + 1)).toBeGreaterThan(at(h.edges, b));
      expect(h.degenerate).toBe(false);
      expect(h.unit).toBe(probedUnit(17, h.layer, at(ctx.net.layerWidths, h.layer - 1)));

      // Plain JS, float64, on the values of our own capture.
      const { data, width } = must(captured.get(h.layer));
      expect(data.length).toBe(m * width);
      const v = Array.from({ length: m }, (_, n) => at(data, n * width + h.unit));
      const min = Math.min(...v);
      const max = Math.max(...v);
      const mean = v.reduce((a, b) => a + b, 0) / m;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / m;
      expect(h.min).toBe(min);
      expect(h.max).toBe(max);
      expect(h.edges[0]).toBe(min);
      expect(h.edges[bins]).toBe(max);
      expect(h.mean).toBeCloseTo(mean, 4);
      expect(h.variance / variance).toBeCloseTo(1, 4);
      expect(r.points.find((p) => p.series === `probe/activations/layer${h.layer}/mean`)?.value).toBe(h.mean);
      expect(r.points.find((p) => p.series === `probe/activations/layer${h.layer}/var`)?.value).toBe(
        h.variance,
      );
      const counts = new Array<number>(bins).fill(0);
      for (const a of v) {
        const b = Math.min(bins - 1, Math.floor(((a - min) / (max - min)) * bins));
        counts[b] = at(counts, b) + 1;
      }
      // float32 (device) and float64 (here) bin boundaries may disagree for a value right on an edge.
      const off = counts.reduce((s, c, b) => s + Math.abs(c - at(h.counts, b)), 0);
      expect(off).toBeLessThanOrEqual(2);
      expect(Math.max(...h.counts)).toBeGreaterThan(0);
    }
    dispose();
  });

  it('follows the same unit at another step and other weights, and a different one under another run seed', async () => {
    const a = buildTestContext({ ...vggTiny, step: 1 });
    const b = buildTestContext({ ...vggTiny, seed: 8, step: 500 });
    const ra = await measureActivations(a.ctx, [1, 2, 3], 5);
    const rb = await measureActivations(b.ctx, [3, 1], 5);
    const unitsA = new Map(ra.records.map((x) => [histogramOf(x.data).layer, histogramOf(x.data).unit]));
    const unitsB = new Map(rb.records.map((x) => [histogramOf(x.data).layer, histogramOf(x.data).unit]));
    expect(unitsB.get(1)).toBe(unitsA.get(1));
    expect(unitsB.get(3)).toBe(unitsA.get(3));
    expect(rb.records.every((x) => x.step === 500)).toBe(true);
    // The weights differ, so the distributions do.
    expect(histogramOf(at(rb.records, 0).data).mean).not.toBe(histogramOf(at(ra.records, 2).data).mean);
    a.dispose();
    b.dispose();

    const units = Array.from({ length: 20 }, (_, s) => probedUnit(s, 3, 16));
    expect(units.every((u) => Number.isInteger(u) && u >= 0 && u < 16)).toBe(true);
    expect(new Set(units).size).toBeGreaterThan(4);
    expect(probedUnit(4, 3, 16)).toBe(probedUnit(4, 3, 16));
  });

  it('widens a constant unit to [v - 0.5, v + 0.5] and says so (batch norm with one example)', async () => {
    const { ctx, dispose } = buildTestContext({
      model: { network: 'mlp', hidden: [5, 4], normalization: 'batch' },
      inputShape: [6],
      classes: 3,
      batch: 1,
      seed: 2,
      beta: [-1, 1],
    });
    const bins = 4;
    const r = await measureActivations(ctx, [2], bins);
    const h = histogramOf(at(r.records, 0).data);
    // One example: y_hat = 0, so the pre-activation is beta_j.
    const beta = at((ctx.before['layer2.beta'] as tf.Tensor).dataSync(), h.unit);
    expect(h.degenerate).toBe(true);
    // z = y k + (beta - mu k) with y = mu: beta up to rounding.
    expect(h.min).toBeCloseTo(beta, 5);
    expect(h.max).toBe(h.min);
    expect(h.variance).toBe(0);
    expect(h.edges[0]).toBe(h.min - 0.5);
    expect(h.edges[bins]).toBe(h.max + 0.5);
    expect(h.count).toBe(1);
    // The value sits in the middle, on the edge between bins 1 and 2: it belongs to the upper bin.
    expect(h.counts).toEqual([0, 0, 1, 0]);
    dispose();
  });
});
