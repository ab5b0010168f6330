import { describe, expect, it } from 'vitest';
import { buildPlan, reproTag } from '../../../../src/main/api/reproduce/plan';
import { runKey } from '../../../../src/main/api/reproduce/runKey';
import { SCALES } from '../../../../src/main/api/reproduce/scales';
import { experimentSchema } from '../../../../src/shared/config';
import { findFigure } from '../../../../src/shared/figures';
import { FIGURE_TEMPLATES } from '../../../../src/shared/figureTemplates';
import { userErrorOf } from '../../../helpers/userError';

/**
 * Counted by hand from shared/figures.ts: VGG runs differ (beyond probes) only in normalization and
 * LR: {plain, bn} x {0.1, 0.5, 0.01} + {noisy-bn, l1, l2, linf} at 0.1 = 10; DLN runs: {plain, bn} x
 * {1e-6, 1e-7} + {l1, l2, linf} at 1e-6 = 7.
 */
const VGG_CONFIGS = 10;
const DLN_CONFIGS = 7;

describe('buildPlan sizes', () => {
  it.each([
    ['smoke', 1, 1],
    ['quick', 1, 1],
    ['cpu', 1, 2],
    ['paper', 3, 3],
  ] as const)('%s: %i VGG and %i DLN seed(s) per configuration', (scale, vggSeeds, dlnSeeds) => {
    expect(SCALES[scale].vgg.seeds).toBe(vggSeeds);
    expect(SCALES[scale].dln.seeds).toBe(dlnSeeds);
    const plan = buildPlan({ scale });
    expect(plan.runs.filter((r) => r.network === 'vgg')).toHaveLength(VGG_CONFIGS * vggSeeds);
    expect(plan.runs.filter((r) => r.network === 'dln')).toHaveLength(DLN_CONFIGS * dlnSeeds);
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(plan.runs.length);
  });

  it('covers every slot of every figure template, one key per seed', () => {
    const plan = buildPlan({ scale: 'cpu' });
    for (const t of FIGURE_TEMPLATES) {
      for (const slot of t.slots) {
        const keys = plan.slots[t.name]?.[slot];
        const seeds = slot.includes('dln25') || ['3b', '9', '10', '13'].includes(t.figure) ? 2 : 1;
        expect(keys, `${t.name}/${slot}`).toHaveLength(seeds);
      }
    }
  });

  it('keys are the hash of the final config, each run tagged with the reproduction', () => {
    const plan = buildPlan({ scale: 'quick' });
    for (const run of plan.runs) {
      expect(run.key).toBe(runKey(experimentSchema.parse(run.config)));
      expect(run.tag).toBe('repro:quick:spec');
    }
  });
});

describe('buildPlan deduplication', () => {
  const plan = buildPlan({ scale: 'cpu' });
  const slot = (template: string, s: string): string[] => plan.slots[template]?.[s] ?? [];

  it('runs figs 2 and 8 once', () => {
    for (const s of ['plain', 'bn', 'noisy-bn']) expect(slot('fig8', s)).toEqual(slot('fig2', s));
  });

  it('runs figs 5 (VGG) and 12 once, the merged run recording fig 12 landscape', () => {
    for (const n of ['plain', 'bn', 'l1', 'l2', 'linf']) {
      expect(slot('fig5', `vgg16-${n}`)).toEqual(slot('fig12', n));
    }
    const l1 = plan.runs.find((r) => r.key === slot('fig12', 'l1')[0]);
    expect(l1?.config.probes.landscape.every).toBe(50);
    expect(l1?.config.probes.activations.layers).toEqual([11]);
  });

  it("reuses fig 1's LR 0.1 runs for fig 4, with the union of their probes", () => {
    expect(slot('fig4', 'bn')).toEqual(slot('fig1', 'bn-lr0.1'));
    expect(slot('fig4', 'plain')).toEqual(slot('fig1', 'plain-lr0.1'));
    const run = plan.runs.find((r) => r.key === slot('fig4', 'bn')[0]);
    // fig 1 layers 3, 11; fig 2 2, 9, 13; fig 6 11: one run records all five.
    expect(run?.config.probes.activations.layers).toEqual([2, 3, 9, 11, 13]);
    expect(run?.config.probes.ics).toEqual({ every: 50, layers: [5, 10] });
    // fig 1's LR 0.5 runs are not fig 4's.
    expect(slot('fig1', 'bn-lr0.5')[0]).not.toBe(slot('fig1', 'bn-lr0.1')[0]);
  });

  it("merges fig 9's and fig 10's DLN runs", () => {
    expect(slot('fig9', 'bn')).toEqual(slot('fig10', 'bn'));
    const run = plan.runs.find((r) => r.key === slot('fig9', 'bn')[0]);
    expect(run?.config.probes.activations.layers).toEqual([1, 11, 24]);
    expect(run?.config.probes.landscape.every).toBe(50);
  });
});

describe('buildPlan scales', () => {
  it('paper scale keeps the presets but the probes union and the seed', () => {
    const plan = buildPlan({ scale: 'paper', only: 'fig3a' });
    const preset = findFigure('fig3a')?.runs.find((r) => r.label === 'bn-lr0.01');
    const run = plan.runs.find((r) => r.key === plan.slots.fig3a?.['bn-lr0.01']?.[1]);
    expect(run?.seed).toBe(1);
    expect(run?.config.schedule).toEqual(experimentSchema.parse(preset?.config).schedule);
    expect(run?.config.model.widthMultiplier).toBe(1);
  });

  it('cpu and quick scale VGG as documented, the DLN keeps its depth', () => {
    const cpu = buildPlan({ scale: 'cpu' });
    const vgg = cpu.runs.find((r) => r.network === 'vgg');
    expect(vgg?.config.model).toMatchObject({ network: 'vgg16', widthMultiplier: 0.25 });
    expect(vgg?.config.schedule.steps).toBe(600);
    expect(vgg?.config.data.testLimit).toBe(2000);
    const dln = cpu.runs.find((r) => r.network === 'dln');
    expect(dln?.config.model.network).toBe('dln25');
    expect(dln?.config.schedule.steps).toBe(10_000);
    const quick = buildPlan({ scale: 'quick' });
    for (const r of quick.runs) {
      expect(r.config.schedule.steps).toBe(r.network === 'vgg' ? 30 : 500);
    }
  });

  it('smoke scale probes often enough that every claim has two records of each probe to compare', () => {
    for (const r of buildPlan({ scale: 'smoke' }).runs) {
      const steps = r.config.schedule.steps;
      expect(steps).toBe(r.network === 'vgg' ? 6 : 20);
      for (const probe of Object.values(r.config.probes)) {
        if (typeof probe.every === 'number' && probe.every > 0)
          expect(Math.floor(steps / probe.every)).toBeGreaterThanOrEqual(2);
      }
      if (r.network === 'vgg') expect(steps / r.config.schedule.testMetricsEvery).toBeGreaterThanOrEqual(2);
    }
  });

  it('seeds are separate runs differing only in the seed', () => {
    const plan = buildPlan({ scale: 'cpu', only: 'fig10' });
    const [a, b] = (plan.slots.fig10?.plain ?? []).map((k) => plan.runs.find((r) => r.key === k));
    expect([a?.seed, b?.seed]).toEqual([0, 1]);
    expect({ ...a?.config, seed: 0, name: '' }).toEqual({ ...b?.config, seed: 0, name: '' });
  });
});

describe('buildPlan --only and --reading', () => {
  it('--only restricts to one figure, still deduplicated', () => {
    const plan = buildPlan({ scale: 'cpu', only: 'fig2' });
    expect(plan.templates).toEqual(['fig2']);
    expect(plan.runs).toHaveLength(3);
    expect(buildPlan({ scale: 'cpu', only: '11' }).runs).toHaveLength(2 + 2 * 2);
    // fig 13 shares nothing within itself: 5 DLN configs x 2 seeds.
    expect(buildPlan({ scale: 'cpu', only: 'fig13' }).runs).toHaveLength(10);
  });

  it('--only rejects an unknown figure, naming the figures', () => {
    expect(userErrorOf(() => buildPlan({ scale: 'cpu', only: 'fig7' })).message).toMatch(/fig7.*fig1, fig2/);
  });

  it('applies the reading to the runs it concerns and names it', () => {
    const plan = buildPlan({ scale: 'quick', reading: 'dln-paper-scale' });
    expect(plan.reading).toBe('dln-paper-scale');
    expect(plan.tag).toBe(reproTag('quick', 'dln-paper-scale'));
    for (const run of plan.runs) {
      expect(run.readingApplied).toBe(run.network === 'dln');
      expect(run.config.data.targetStd).toBe(run.network === 'dln' ? 0.6 : 1);
    }
    const spec = buildPlan({ scale: 'quick' });
    const vggKeys = (p: typeof plan): string[] => p.runs.filter((r) => r.network === 'vgg').map((r) => r.key);
    expect(vggKeys(plan)).toEqual(vggKeys(spec));
    expect(plan.runs.filter((r) => r.network === 'dln').map((r) => r.key)).not.toEqual(
      spec.runs.filter((r) => r.network === 'dln').map((r) => r.key),
    );
  });

  it('rejects an unknown reading', () => {
    expect(userErrorOf(() => buildPlan({ scale: 'cpu', reading: 'nope' })).message).toMatch(
      /unknown reading/,
    );
  });
});
