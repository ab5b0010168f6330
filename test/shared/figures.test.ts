import { describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../../src/shared/config';
import { FIGURES, findFigure } from '../../src/shared/figures';
import { findPreset } from '../../src/shared/presets';

const parse = (name: string): ExperimentConfig => {
  const preset = findPreset(name);
  if (!preset) throw new Error(`no preset ${name}`);
  return experimentSchema.parse(preset.config);
};

const NORM: Record<string, string> = {
  plain: 'none',
  bn: 'batch',
  'noisy-bn': 'noisy-batch',
  l1: 'l1',
  l2: 'l2',
  linf: 'linf',
};

describe('FIGURES', () => {
  it('has every figure of PAPER.md section 5, and fig 9, at paper and CPU scale', () => {
    const figures = ['1', '2', '3a', '3b', '4', '5', '6', '8', '9', '10', '11', '12', '13'];
    expect(FIGURES.map((f) => f.name).sort()).toEqual(
      figures.flatMap((f) => [`fig${f}`, `fig${f}-cpu`]).sort(),
    );
    for (const f of FIGURES) expect(findFigure(f.name)).toBe(f);
  });

  it('every run is a valid preset named FIGURE/LABEL whose label says its normalization and LR', () => {
    for (const f of FIGURES) {
      expect(f.runs.length).toBeGreaterThan(1);
      for (const r of f.runs) {
        expect(r.name).toBe(`${f.name}/${r.label}`);
        const c = parse(r.name);
        const norm = r.label.split('-lr')[0]?.replace(/^(vgg16|dln25)-/, '') ?? '';
        expect(c.model.normalization, r.name).toBe(NORM[norm]);
        const lr = /-lr(.+)$/.exec(r.label)?.[1];
        if (lr !== undefined) expect(c.optimizer.lr, r.name).toBe(Number(lr));
      }
    }
  });

  it('the CPU scale is vgg16 at width 1/4 with 2k steps; the DLN stays at paper scale', () => {
    for (const f of FIGURES.filter((x) => x.scale === 'cpu')) {
      const paper = findFigure(f.name.replace('-cpu', ''));
      f.runs.forEach((r, k) => {
        const c = parse(r.name);
        const p = parse(paper?.runs[k]?.name ?? '');
        if (c.model.network === 'vgg16') {
          expect(c.model.widthMultiplier).toBe(0.25);
          expect(c.schedule.steps).toBe(2000);
          expect(p.model.widthMultiplier).toBe(1);
          expect(p.schedule.steps).toBe(15_000);
        } else {
          expect(c).toEqual(p);
        }
        expect(c.probes).toEqual(p.probes);
      });
    }
  });

  it("probes what each figure shows, at the paper's cadence and layers", () => {
    const fig4 = parse('fig4-cpu/bn');
    expect(fig4.probes.landscape.every).toBe(100);
    expect(fig4.probes.ics.every).toBe(0);
    const fig3b = parse('fig3b/plain-lr1e-7');
    expect(fig3b.optimizer.lr).toBe(1e-7);
    expect(fig3b.probes.ics).toEqual({ every: 50, layers: [9, 17] });
    expect(parse('fig3a-cpu/bn-lr0.01').probes.ics).toEqual({ every: 100, layers: [5, 10] });
    expect(parse('fig1/plain-lr0.5').probes.activations.layers).toEqual([3, 11]);
    expect(parse('fig2-cpu/noisy-bn').probes.activations.layers).toEqual([2, 9, 13]);
    expect(parse('fig6/linf').probes.activations.layers).toEqual([11]);
    expect(parse('fig10/bn').probes.landscape.every).toBe(50);
    expect(findFigure('fig11')?.runs.map((r) => r.label)).toEqual([
      'vgg16-plain',
      'dln25-plain',
      'vgg16-bn',
      'dln25-bn',
    ]);
    expect(findFigure('fig5-cpu')?.runs).toHaveLength(10);
    // Fig 9: the DLN with and without BN at LR 1e-6, the activations of layers 1, 11 and 24 every 50 steps.
    expect(findFigure('fig9-cpu')?.runs.map((r) => r.label)).toEqual(['plain', 'bn']);
    for (const name of ['fig9/plain', 'fig9-cpu/bn']) {
      const c = parse(name);
      expect(c.model.network).toBe('dln25');
      expect(c.optimizer.lr).toBe(1e-6);
      expect(c.probes.activations).toMatchObject({ every: 50, layers: [1, 11, 24] });
      expect([c.probes.ics.every, c.probes.landscape.every]).toEqual([0, 0]);
    }
  });
});
