import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CLAIMS,
  evaluateClaim,
  findClaim,
  type ClaimResult,
} from '../../../../src/main/api/reproduce/claims';
import { openStore, type Store } from '../../../../src/main/store';
import { experimentSchema } from '../../../../src/shared/config';
import { findFigure } from '../../../../src/shared/figures';
import { probeRecordSchema, type ProbeRecord } from '../../../../src/shared/probes';
import { must as defined } from '../../../helpers/defined';
import { seedFigureRuns } from '../../../helpers/figureRuns';
import { tempDirs } from '../../../helpers/tempDirs';

const dirs = tempDirs('claims');
let store: Store;
const ctx = () => ({ store, dbPath: store.path });

beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterEach(() => store.close());
afterAll(() => dirs.cleanup());

/** Any preset config will do: the claims read the runs their slots are given. */
const CONFIG = experimentSchema.parse({ ...defined(findFigure('fig1-cpu')?.runs[0]).config, name: 'hand' });

/** A completed run whose series take `values` at steps 10, 20, 30, ... */
function writeRun(series: Record<string, readonly number[]>, records: ProbeRecord[] = []): string {
  const id = store.createRun(CONFIG);
  store.markRunning(id, { backend: 'cpu', device: 'cpu', softwareDevice: false });
  const points = Object.entries(series).flatMap(([name, values]) =>
    values.map((value, i) => ({ series: name, step: (i + 1) * 10, value })),
  );
  store.appendPoints(id, points, { lastStep: Math.max(...points.map((p) => p.step)) });
  store.appendProbeRecords(
    id,
    records.map((r) => probeRecordSchema.parse(r)),
  );
  store.finish(id, 'completed');
  return id;
}

const constant = (value: number, n = 5): number[] => Array.from({ length: n }, () => value);

function evaluate(id: string, slots: Record<string, string[]>): ClaimResult {
  return evaluateClaim(ctx(), defined(findClaim(id)), slots);
}

function number(result: ClaimResult, name: string) {
  return defined(result.numbers.find((n) => n.name === name));
}

describe('fig1-bn-lr', () => {
  // plain at LR 0.1 reaches step k's accuracy k / 100 (final: mean of 0.6..1.0 = 0.8); BN k / 50 up
  // to 1 (final 1). Target 0.9 * 0.8 = 0.72: plain at step 80, BN at step 40, ratio 0.5.
  const plainTrain = Array.from({ length: 10 }, (_, i) => (i + 1) / 10);
  const bnTrain = Array.from({ length: 10 }, (_, i) => Math.min(1, (i + 1) / 5));
  function slots(plainHigh: number[]): Record<string, string[]> {
    return {
      'fig1/plain-lr0.1': [writeRun({ 'train/accuracy': plainTrain, 'test/accuracy': constant(0.7) })],
      'fig1/plain-lr0.5': plainHigh.map((acc) => writeRun({ 'test/accuracy': constant(acc) })),
      'fig1/bn-lr0.1': [writeRun({ 'train/accuracy': bnTrain, 'test/accuracy': constant(0.8) })],
      'fig1/bn-lr0.5': [writeRun({ 'test/accuracy': constant(0.7) })],
    };
  }

  it('is supported when the plain network stays at chance at LR 0.5 and BN trains, and faster', () => {
    const result = evaluate('fig1-bn-lr', slots([0.1]));
    expect(result.verdict).toBe('supported');
    expect(number(result, 'plain LR 0.5 final test accuracy').value).toBeCloseTo(0.1, 12);
    expect(number(result, 'BN LR 0.5 final test accuracy').value).toBeCloseTo(0.7, 12);
    expect(number(result, 'BN LR 0.5 / BN LR 0.1 final test accuracy').value).toBeCloseTo(0.875, 12);
    expect(number(result, 'BN / plain steps to the target train accuracy at LR 0.1').value).toBeCloseTo(
      0.5,
      12,
    );
    expect(result.missing).toEqual([]);
    expect(result.note).toMatch(/CPU scale/);
  });

  it('is not supported when the plain network trains at LR 0.5, the mean over its seeds above the bound', () => {
    // seeds at 0.1 and 0.5: mean 0.3 > 0.2
    const result = evaluate('fig1-bn-lr', slots([0.1, 0.5]));
    expect(result.verdict).toBe('not supported');
    const plain = number(result, 'plain LR 0.5 final test accuracy');
    expect(plain.value).toBeCloseTo(0.3, 12);
    expect(plain.pass).toBe(false);
    expect(result.numbers.filter((n) => !n.pass).map((n) => n.name)).toEqual([
      'plain LR 0.5 final test accuracy',
    ]);
    expect(result.seeds['fig1/plain-lr0.5']).toBe(2);
  });

  it('is inconclusive, naming the slot, when a slot has no runs', () => {
    const all = slots([0.1]);
    const result = evaluate('fig1-bn-lr', { ...all, 'fig1/bn-lr0.5': [] });
    expect(result.verdict).toBe('inconclusive');
    expect(result.missing).toEqual(['fig1/bn-lr0.5: no runs']);
    expect(result.seeds['fig1/bn-lr0.5']).toBe(0);
  });

  it('is inconclusive when a run lacks the series read', () => {
    const all = slots([0.1]);
    const result = evaluate('fig1-bn-lr', { ...all, 'fig1/bn-lr0.5': [writeRun({ 'train/loss': [1] })] });
    expect(result.verdict).toBe('inconclusive');
    expect(result.missing).toEqual(['fig1/bn-lr0.5: no test/accuracy values']);
  });
});

describe('fig2-noisy-bn', () => {
  const activations = (mean: number[], variance: number[]) => ({
    'probe/activations/layer2/mean': mean,
    'probe/activations/layer2/var': variance,
  });
  function slots(noisyAccuracy: number, noisyMean: number[]): Record<string, string[]> {
    return {
      'fig2/bn': [writeRun({ 'train/accuracy': constant(0.9) })],
      'fig2/noisy-bn': [writeRun({ 'train/accuracy': constant(noisyAccuracy) })],
      // plain's changes: 0.1 each step; noisy BN's variance changes: 1 each step
      'fig8/plain': [writeRun(activations([0, 0.1, 0.2, 0.3], [1, 1.1, 1.2, 1.3]))],
      'fig8/noisy-bn': [writeRun(activations(noisyMean, [1, 2, 1, 2]))],
    };
  }

  it('is supported when noisy BN trains within the margin and drifts far more', () => {
    const result = evaluate('fig2-noisy-bn', slots(0.87, [0, 0.5, 0, 0.5]));
    expect(result.verdict).toBe('supported');
    expect(number(result, 'BN - noisy BN final train accuracy').value).toBeCloseTo(0.03, 12);
    expect(number(result, 'noisy BN / plain median |Δ mean|').value).toBeCloseTo(5, 9);
    expect(number(result, 'noisy BN / plain median |Δ variance|').value).toBeCloseTo(10, 9);
  });

  it('is not supported when noisy BN trains worse and its mean drifts only twice as much', () => {
    const result = evaluate('fig2-noisy-bn', slots(0.8, [0, 0.2, 0.4, 0.6]));
    expect(result.verdict).toBe('not supported');
    expect(number(result, 'BN - noisy BN final train accuracy')).toMatchObject({ pass: false });
    expect(number(result, 'BN - noisy BN final train accuracy').value).toBeCloseTo(0.1, 12);
    expect(number(result, 'noisy BN / plain median |Δ mean|').value).toBeCloseTo(2, 9);
    expect(number(result, 'noisy BN / plain median |Δ mean|').pass).toBe(false);
    expect(number(result, 'noisy BN / plain median |Δ variance|').pass).toBe(true);
  });
});

describe('fig3-ics', () => {
  const ics = (layers: number[], l2: number, cos: number) =>
    Object.fromEntries(
      layers.flatMap((l) => [
        [`probe/ics/layer${l}/l2`, constant(l2)],
        [`probe/ics/layer${l}/cos`, constant(cos)],
      ]),
    );
  function slots(bnL2AtLowLr: number): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [template, layers, lrs] of [
      ['fig3a', [5, 10], ['0.1', '0.01']],
      ['fig3b', [9, 17], ['1e-6', '1e-7']],
    ] as const) {
      out[`${template}/plain-lr${lrs[0]}`] = [writeRun(ics([...layers], 1, 0.9))];
      out[`${template}/plain-lr${lrs[1]}`] = [writeRun(ics([...layers], 1, 0.9))];
      out[`${template}/bn-lr${lrs[0]}`] = [writeRun(ics([...layers], 2, 0.5))];
      out[`${template}/bn-lr${lrs[1]}`] = [
        writeRun(ics([...layers], template === 'fig3a' ? bnL2AtLowLr : 2, 0.5)),
      ];
    }
    return out;
  }

  it('is supported when BN’s ICS is no smaller and its cosine no closer to 1', () => {
    const result = evaluate('fig3-ics', slots(2));
    expect(result.verdict).toBe('supported');
    expect(number(result, 'VGG: BN / plain median ICS l2 (lowest over LRs)').value).toBeCloseTo(2, 12);
    expect(number(result, 'DLN: BN - plain median ICS cosine (highest over LRs)').value).toBeCloseTo(
      -0.4,
      12,
    );
  });

  it('is not supported when BN reduces the l2 difference tenfold at one LR', () => {
    const result = evaluate('fig3-ics', slots(0.1));
    expect(result.verdict).toBe('not supported');
    expect(number(result, 'VGG: BN / plain median ICS l2 (lowest over LRs)')).toMatchObject({ pass: false });
    expect(number(result, 'VGG: BN / plain median ICS l2 (lowest over LRs)').value).toBeCloseTo(0.1, 12);
    expect(number(result, 'DLN: BN / plain median ICS l2 (lowest over LRs)').pass).toBe(true);
  });
});

/** Landscape series with a loss band and gradient band of the given widths, and `beta` per step. */
function landscapeSeries(band: number, beta: number[]) {
  const n = beta.length;
  return {
    'probe/landscape/loss_min': constant(1, n),
    'probe/landscape/loss_max': constant(1 + band, n),
    'probe/landscape/grad_change_min': constant(2, n),
    'probe/landscape/grad_change_max': constant(2 + band, n),
    'probe/landscape/beta_eff': beta,
  };
}

describe('fig4-landscape', () => {
  function slots(bnBeta: number[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const template of ['fig4', 'fig10']) {
      // plain: bands 2, beta median 15, CV 5 / 15
      out[`${template}/plain`] = [writeRun(landscapeSeries(2, [10, 20, 10, 20]))];
      out[`${template}/bn`] = [writeRun(landscapeSeries(0.5, bnBeta))];
    }
    return out;
  }

  it('is supported when BN’s bands are narrower and beta lower and steadier', () => {
    // BN's beta: median 4.5, CV 0.5 / 4.5
    const result = evaluate('fig4-landscape', slots([4, 5, 4, 5]));
    expect(result.verdict).toBe('supported');
    expect(number(result, 'VGG: BN / plain median loss band').value).toBeCloseTo(0.25, 12);
    expect(number(result, 'DLN: BN / plain median gradient-predictiveness band').value).toBeCloseTo(0.25, 12);
    expect(number(result, 'VGG: BN / plain median effective beta').value).toBeCloseTo(0.3, 12);
    expect(number(result, 'DLN: BN / plain coefficient of variation of beta').value).toBeCloseTo(1 / 3, 12);
  });

  it('is not supported when BN’s beta is lower but less steady', () => {
    // BN's beta: median 5 (ratio 1/3), CV 3 / 5 against 1/3: ratio 1.8
    const result = evaluate('fig4-landscape', slots([2, 8, 2, 8]));
    expect(result.verdict).toBe('not supported');
    expect(number(result, 'VGG: BN / plain median effective beta')).toMatchObject({ pass: true });
    expect(number(result, 'VGG: BN / plain coefficient of variation of beta').value).toBeCloseTo(1.8, 12);
    expect(result.numbers.filter((n) => !n.pass).map((n) => n.name)).toEqual([
      'VGG: BN / plain coefficient of variation of beta',
      'DLN: BN / plain coefficient of variation of beta',
    ]);
  });
});

describe('fig5-lp', () => {
  const histogram = (counts: number[]): ProbeRecord => ({
    probe: 'activations',
    step: 10,
    data: {
      layer: 11,
      unit: 0,
      edges: [0, 1, 2, 3],
      counts,
      min: 0,
      max: 3,
      count: counts.reduce((s, c) => s + c, 0),
      mean: 0,
      variance: 1,
      degenerate: false,
    },
  });
  function slots(linfCounts: number[]): Record<string, string[]> {
    const out: Record<string, string[]> = {
      'fig5/vgg16-bn': [writeRun({ 'train/accuracy': constant(0.9) })],
      'fig5/dln25-bn': [writeRun({ 'train/loss': constant(100) })],
      'fig6/l1': [writeRun({ 'train/loss': [1] }, [histogram([8, 1, 1])])],
      'fig6/l2': [writeRun({ 'train/loss': [1] }, [histogram([1, 1, 8])])],
      'fig6/linf': [writeRun({ 'train/loss': [1] }, [histogram(linfCounts)])],
    };
    for (const lp of ['l1', 'l2', 'linf']) {
      out[`fig5/vgg16-${lp}`] = [writeRun({ 'train/accuracy': constant(0.88) })];
      out[`fig5/dln25-${lp}`] = [writeRun({ 'train/loss': constant(150) })];
    }
    for (const template of ['fig12', 'fig13']) {
      out[`${template}/plain`] = [writeRun(landscapeSeries(2, [20, 20]))];
      out[`${template}/bn`] = [writeRun(landscapeSeries(0.5, [5, 5]))];
      // each lp median lies nearer BN's (|log 1.2| < |log 0.3| and |log 1.2| < |log 0.3|) but for the
      // DLN's l1 beta, which equals plain's
      for (const lp of ['l1', 'l2', 'linf']) {
        const beta = template === 'fig13' && lp === 'l1' ? 20 : 6;
        out[`${template}/${lp}`] = [writeRun(landscapeSeries(0.6, [beta, beta]))];
      }
    }
    return out;
  }

  it('is supported when the lp norms train and smooth like BN with skewed activations', () => {
    const result = evaluate('fig5-lp', slots([8, 1, 1]));
    expect(result.verdict).toBe('supported');
    expect(number(result, 'VGG: BN - lp final train accuracy (largest over l1, l2, linf)').value).toBeCloseTo(
      0.02,
      12,
    );
    expect(number(result, 'DLN: lp / BN final train loss (largest over l1, l2, linf)').value).toBeCloseTo(
      1.5,
      12,
    );
    expect(number(result, 'VGG: share of lp landscape medians nearer BN than plain').value).toBe(1);
    // 8 of 9: the DLN's l1 beta is plain's
    expect(number(result, 'DLN: share of lp landscape medians nearer BN than plain').value).toBeCloseTo(
      8 / 9,
      12,
    );
    const shape = number(
      result,
      'lp activations: max(|skewness|, |excess kurtosis|) (smallest over l1, l2, linf)',
    );
    // [8, 1, 1] (and its mirror [1, 1, 8]): mean 0.8, m2 0.41, m3 0.504, m4 0.8657; skewness
    // 0.504 / 0.41^1.5 = 1.92 is below the excess kurtosis 0.8657 / 0.41^2 - 3 = 2.15
    expect(shape.value).toBeCloseTo(0.8657 / 0.41 ** 2 - 3, 9);
  });

  it('is not supported when one lp norm’s activations are Gaussian-shaped', () => {
    // [1, 4, 1]: skewness 0 and excess kurtosis 0
    const result = evaluate('fig5-lp', slots([1, 4, 1]));
    expect(result.verdict).toBe('not supported');
    const shape = number(
      result,
      'lp activations: max(|skewness|, |excess kurtosis|) (smallest over l1, l2, linf)',
    );
    expect(shape.value).toBeCloseTo(0, 12);
    expect(shape.pass).toBe(false);
    expect(result.numbers.filter((n) => !n.pass)).toHaveLength(1);
  });

  it('is inconclusive when the activation probe recorded nothing', () => {
    const result = evaluate('fig5-lp', { ...slots([8, 1, 1]), 'fig6/l2': [writeRun({ 'train/loss': [1] })] });
    expect(result.verdict).toBe('inconclusive');
    expect(result.missing).toEqual(['fig6/l2: no activation histograms']);
  });
});

describe('every claim over the stored runs', () => {
  it('reads the figure fixture’s runs by default, every slot with its seeds, to a verdict with finite numbers', () => {
    seedFigureRuns(store, { seeds: 2 });
    for (const claim of CLAIMS) {
      const result = evaluateClaim(ctx(), claim);
      expect(result.verdict, `${claim.id}: ${result.missing.join('; ')}`).not.toBe('inconclusive');
      expect(result.numbers.map((n) => n.name)).toEqual(claim.criteria.map((c) => c.name));
      for (const n of result.numbers) expect(Number.isFinite(n.value), `${claim.id}: ${n.name}`).toBe(true);
      expect(Object.values(result.seeds).every((s) => s === 2)).toBe(true);
      for (const figure of claim.figures) {
        expect(Object.keys(result.seeds).some((slot) => slot.startsWith(`${figure}/`))).toBe(true);
      }
    }
  });

  it('the fixture’s plain network at LR 0.5 (it does not train) is at chance', () => {
    seedFigureRuns(store, { templates: ['fig1'] });
    const result = evaluateClaim(ctx(), defined(findClaim('fig1-bn-lr')));
    expect(number(result, 'plain LR 0.5 final test accuracy').pass).toBe(true);
  });

  it('is inconclusive for every claim on an empty store, naming each slot', () => {
    for (const claim of CLAIMS) {
      const result = evaluateClaim(ctx(), claim);
      expect(result.verdict).toBe('inconclusive');
      expect(result.missing.length).toBeGreaterThan(0);
      for (const m of result.missing) expect(m).toMatch(/^fig\w+\/[\w.-]+: no runs$/);
      for (const n of result.numbers) expect(n.pass).toBe(false);
    }
  });
});
