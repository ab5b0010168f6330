import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureBnGradients } from '../../../../src/main/engine/probes/bnGradientDecomposition';
import type { ProbeContext, ProbeResult } from '../../../../src/main/engine/probes/probe';
import { at, must } from '../../../helpers/defined';
import { buildTestContext, type TestContextInput } from './probeContextForTests';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface UnitTerms {
  factor: number[];
  gradOutSq: number[];
  meanTerm: number[];
  projTerm: number[];
  gradInSq: number[];
}

interface BnRecord extends UnitTerms {
  layer: number;
  m: number;
  eps: number;
  variance: number[];
  gradInSqPredicted: number[];
  error?: string;
}

const F64 = (t: tf.Tensor | undefined): Float64Array => Float64Array.from((t as tf.Tensor).dataSync());

/**
 * A plain-JS float64 replica of an mlp with (noisy) batch norm, offsets at y_i and z_i as in
 * ForwardOptions.offsets, and the mean softmax cross-entropy: independent of tfjs's forward and autodiff.
 */
class JsMlp {
  readonly widths: number[];
  private readonly noise = new Map<number, { scale: Float64Array; shift: Float64Array }>();

  constructor(
    private readonly ctx: ProbeContext,
    private readonly eps: number,
  ) {
    this.widths = [...ctx.net.layerWidths];
    const n = ctx.x.shape[0] as number;
    this.widths.forEach((w, k) => {
      const s = ctx.forward.noise?.(k + 1, [n, w]);
      if (s) {
        this.noise.set(k + 1, { scale: F64(s.scale), shift: F64(s.shift) });
        s.scale.dispose();
        s.shift.dispose();
      }
    });
  }

  get batch(): number {
    return this.ctx.x.shape[0] as number;
  }

  /** L at the given offsets; fills yHat (layer -> [N * width]) when asked. */
  loss(
    lin: Map<number, Float64Array>,
    norm: Map<number, Float64Array>,
    out?: { yHat: Map<number, Float64Array>; variance: Map<number, Float64Array> },
  ): number {
    const p = (name: string): Float64Array => F64(this.ctx.before[name]);
    const n = this.batch;
    let h = F64(this.ctx.x);
    let width = this.ctx.x.shape[1] as number;
    this.widths.forEach((units, k) => {
      const i = k + 1;
      const w = p(`layer${i}.weight`);
      const b = p(`layer${i}.bias`);
      const gamma = p(`layer${i}.gamma`);
      const beta = p(`layer${i}.beta`);
      const y = new Float64Array(n * units);
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < units; j++) {
          let s = at(b, j) + (lin.get(i)?.[r * units + j] ?? 0);
          for (let c = 0; c < width; c++) s += at(h, r * width + c) * at(w, c * units + j);
          y[r * units + j] = s;
        }
      }
      const yHat = new Float64Array(n * units);
      const variance = new Float64Array(units);
      const next = new Float64Array(n * units);
      for (let j = 0; j < units; j++) {
        let mu = 0;
        for (let r = 0; r < n; r++) mu += at(y, r * units + j) / n;
        let v = 0;
        for (let r = 0; r < n; r++) v += (at(y, r * units + j) - mu) ** 2 / n;
        variance[j] = v;
        for (let r = 0; r < n; r++) {
          const e = r * units + j;
          yHat[e] = (at(y, e) - mu) / Math.sqrt(v + this.eps);
          let z = at(gamma, j) * at(yHat, e) + at(beta, j) + (norm.get(i)?.[e] ?? 0);
          const noise = this.noise.get(i);
          if (noise) z = at(noise.scale, e) * z + at(noise.shift, e);
          next[e] = Math.max(0, z);
        }
      }
      out?.yHat.set(i, yHat);
      out?.variance.set(i, variance);
      h = next;
      width = units;
    });
    const o = this.widths.length + 1;
    const [w, b] = [p(`layer${o}.weight`), p(`layer${o}.bias`)];
    const classes = b.length;
    const labels = this.ctx.y.dataSync();
    let total = 0;
    for (let r = 0; r < n; r++) {
      const logits = Array.from({ length: classes }, (_, j) => {
        let s = at(b, j);
        for (let c = 0; c < width; c++) s += at(h, r * width + c) * at(w, c * classes + j);
        return s;
      });
      const top = Math.max(...logits);
      const lse = top + Math.log(logits.reduce((a, l) => a + Math.exp(l - top), 0));
      total += lse - at(logits, at(labels, r));
    }
    return total / n;
  }

  /** dL/d(offset) of layer i's `kind` offset by central differences, step 1e-5. */
  gradient(kind: 'lin' | 'norm', layer: number): Float64Array {
    const size = this.batch * (this.widths[layer - 1] as number);
    const g = new Float64Array(size);
    const h = 1e-5;
    for (let e = 0; e < size; e++) {
      const at = (t: number): number => {
        const o = new Float64Array(size);
        o[e] = t;
        const offsets = new Map([[layer, o]]);
        return kind === 'lin' ? this.loss(offsets, new Map()) : this.loss(new Map(), offsets);
      };
      g[e] = (at(h) - at(-h)) / (2 * h);
    }
    return g;
  }

  /** Theorem 4.1's per-unit terms from finite-difference gradients and float64 statistics. */
  terms(layer: number): UnitTerms & { variance: number[] } {
    const stats = { yHat: new Map<number, Float64Array>(), variance: new Map<number, Float64Array>() };
    this.loss(new Map(), new Map(), stats);
    const yHat = must(stats.yHat.get(layer));
    const variance = must(stats.variance.get(layer));
    const gIn = this.gradient('lin', layer);
    const gOut = this.gradient('norm', layer);
    const gamma = F64(this.ctx.before[`layer${layer}.gamma`]);
    const units = at(this.widths, layer - 1);
    const n = this.batch;
    const t: UnitTerms & { variance: number[] } = {
      factor: [],
      gradOutSq: [],
      meanTerm: [],
      projTerm: [],
      gradInSq: [],
      variance: [...variance],
    };
    for (let j = 0; j < units; j++) {
      let sq = 0;
      let sum = 0;
      let proj = 0;
      let inSq = 0;
      for (let r = 0; r < n; r++) {
        const e = r * units + j;
        sq += at(gOut, e) ** 2;
        sum += at(gOut, e);
        proj += at(gOut, e) * at(yHat, e);
        inSq += at(gIn, e) ** 2;
      }
      t.factor.push(at(gamma, j) ** 2 / (at(variance, j) + this.eps));
      t.gradOutSq.push(sq);
      t.meanTerm.push(sum ** 2 / n);
      t.projTerm.push(proj ** 2 / n);
      t.gradInSq.push(inSq);
    }
    return t;
  }
}

/** |a - b| <= rtol max|b| elementwise (relative to the vector's scale). */
function expectClose(actual: readonly number[], expected: readonly number[], rtol: number): void {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(...expected.map(Math.abs), 1e-30);
  actual.forEach((a, k) => expect(Math.abs(a - at(expected, k))).toBeLessThanOrEqual(rtol * scale));
}

const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);

function recordOf(r: ProbeResult, layer: number): BnRecord {
  const found = r.records.find((x) => (x.data as unknown as BnRecord).layer === layer);
  expect(found?.probe).toBe('bnGradients');
  return must(found).data as unknown as BnRecord;
}

function point(r: ProbeResult, layer: number, name: string): number {
  const p = r.points.find((x) => x.series === `probe/bnGradients/layer${layer}/${name}`);
  expect(p).toBeDefined();
  return must(p).value;
}

const mlp = (normalization: 'batch' | 'noisy-batch', eps: number): TestContextInput => ({
  model: { network: 'mlp', hidden: [6, 4], normalization, eps },
  inputShape: [5],
  classes: 3,
  batch: 8,
  seed: 4,
  gamma: [0.2, 2],
  beta: [-1, 1],
  biasScale: 2,
});

describe('measureBnGradients', () => {
  for (const [normalization, eps] of [
    ['batch', 0.3],
    ['batch', 1e-5],
    ['noisy-batch', 0.3],
  ] as const) {
    it(`mlp, ${normalization}, eps ${eps}: every per-unit term matches float64 finite differences`, async () => {
      const { ctx, tensors, dispose } = buildTestContext({ ...mlp(normalization, eps), step: 12 });
      const start = tf.memory().numTensors;
      const r = await measureBnGradients(ctx, [1, 2]);
      expect(tf.memory().numTensors).toBe(start);
      expect(tensors.every((t) => !t.isDisposed)).toBe(true);
      expect(r.passes).toEqual({ forward: 0, backward: 1 });
      expect(r.points).toHaveLength(12);
      expect(r.points.every((p) => p.step === 12)).toBe(true);

      const js = new JsMlp(ctx, eps);
      for (const layer of [1, 2]) {
        const rec = recordOf(r, layer);
        expect(rec.m).toBe(8);
        expect(rec.eps).toBe(eps);
        const want = js.terms(layer);
        expectClose(rec.variance, want.variance, 1e-4);
        expectClose(rec.factor, want.factor, 1e-4);
        expectClose(rec.gradOutSq, want.gradOutSq, 1e-3);
        expectClose(rec.meanTerm, want.meanTerm, 1e-3);
        expectClose(rec.projTerm, want.projTerm, 1e-3);
        expectClose(rec.gradInSq, want.gradInSq, 1e-3);
        expect(sum(want.gradInSq)).toBeGreaterThan(0);

        // Theorem 4.1 with the eps correction, in float64 on the independent terms.
        const exact = want.factor.map(
          (f, j) =>
            f *
            (at(want.gradOutSq, j) -
              at(want.meanTerm, j) -
              (1 + eps / (at(want.variance, j) + eps)) * at(want.projTerm, j)),
        );
        expectClose(exact, want.gradInSq, 1e-5);
        // ... and the probe's own sides agree to float32 accuracy.
        expectClose(rec.gradInSqPredicted, rec.gradInSq, 1e-4);
        const paper = want.factor.map(
          (f, j) => f * (at(want.gradOutSq, j) - at(want.meanTerm, j) - at(want.projTerm, j)),
        );
        const paperGap = Math.abs(sum(paper) - sum(want.gradInSq)) / sum(want.gradInSq);
        if (eps > 0.1) expect(paperGap).toBeGreaterThan(1e-3);
        else expect(paperGap).toBeLessThan(1e-3);

        expect(point(r, layer, 'factor')).toBeCloseTo(sum(rec.factor) / rec.factor.length, 6);
        expect(point(r, layer, 'grad_out_sq')).toBeCloseTo(sum(rec.gradOutSq), 8);
        expect(point(r, layer, 'mean_term')).toBeCloseTo(sum(rec.meanTerm), 8);
        expect(point(r, layer, 'proj_term')).toBeCloseTo(sum(rec.projTerm), 8);
        expect(point(r, layer, 'grad_in_sq')).toBeCloseTo(sum(rec.gradInSq), 8);
        expect(point(r, layer, 'grad_in_sq_predicted')).toBeCloseTo(sum(rec.gradInSqPredicted), 8);
      }
      dispose();
    });
  }

  it('vgg-tiny (1/4, batch 2): m = N*H*W, the terms match the step gradient of gamma and beta, both sides agree', async () => {
    const { ctx, tensors, dispose } = buildTestContext({
      model: { network: 'vgg-tiny', widthMultiplier: 0.25, normalization: 'batch' },
      inputShape: [32, 32, 3],
      classes: 10,
      batch: 2,
      seed: 6,
      gamma: [0.5, 1.5],
      beta: [-0.5, 0.5],
    });
    const start = tf.memory().numTensors;
    const r = await measureBnGradients(ctx, []);
    expect(r.records).toHaveLength(0);
    const all = await measureBnGradients(ctx, [3, 1, 2]);
    expect(tf.memory().numTensors).toBe(start);
    expect(tensors.every((t) => !t.isDisposed)).toBe(true);
    for (const layer of [1, 2, 3]) {
      const rec = recordOf(all, layer);
      const [n, h, w, c] = ctx.net.layerOutputShape(layer, 2) as [number, number, number, number];
      expect(rec.m).toBe(n * h * w);
      expect(rec.factor).toHaveLength(c);
      // <1, g_hat> = dL/dbeta and <g_hat, y_hat> = dL/dgamma of the step's own gradient (lossAndGradients).
      const dBeta = [...(ctx.grads[`layer${layer}.beta`] as tf.Tensor).dataSync()];
      const dGamma = [...(ctx.grads[`layer${layer}.gamma`] as tf.Tensor).dataSync()];
      expectClose(
        rec.meanTerm,
        dBeta.map((g) => g ** 2 / rec.m),
        1e-4,
      );
      expectClose(
        rec.projTerm,
        dGamma.map((g) => g ** 2 / rec.m),
        1e-4,
      );
      expectClose(rec.gradInSqPredicted, rec.gradInSq, 1e-3);
      expect(point(all, layer, 'grad_in_sq')).toBeGreaterThan(0);
      expect(point(all, layer, 'grad_in_sq_predicted') / point(all, layer, 'grad_in_sq')).toBeCloseTo(1, 3);
    }
    dispose();
  });

  for (const normalization of ['none', 'l2'] as const) {
    it(`says so for a network without batch norm (${normalization})`, async () => {
      const { ctx, dispose } = buildTestContext({
        model: { network: 'mlp', hidden: [4], normalization },
        inputShape: [3],
        classes: 2,
        batch: 4,
        seed: 1,
      });
      const start = tf.memory().numTensors;
      const r = await measureBnGradients(ctx, [1]);
      expect(tf.memory().numTensors).toBe(start);
      expect(r.points).toEqual([]);
      expect(r.records).toEqual([
        { probe: 'bnGradients', step: 1, data: { error: 'the network has no batch normalization' } },
      ]);
      expect(r.passes).toEqual({ forward: 0, backward: 0 });
      dispose();
    });
  }
});
