import { describe, expect, it } from 'vitest';
import { evenlySpaced, layoutRidges } from '../../../src/renderer/src/charts/ridgeLayout';
import { at } from '../../helpers/defined';

describe('evenlySpaced', () => {
  it('keeps all when under the limit, else spreads with first and last', () => {
    expect(evenlySpaced(3, 5)).toEqual([0, 1, 2]);
    const picked = evenlySpaced(100, 5);
    expect(picked).toEqual([0, 25, 50, 74, 99]);
    expect(evenlySpaced(0, 5)).toEqual([]);
  });
});

describe('layoutRidges', () => {
  const hist = (step: number, counts: number[], lo = 0, width = 1) => ({
    step,
    edges: Array.from({ length: counts.length + 1 }, (_, i) => lo + i * width),
    counts,
  });

  it('puts each ridge at its step and scales its peak to overlap x the ridge gap', () => {
    const layout = layoutRidges([hist(100, [1, 3, 1]), hist(0, [2, 2, 0])], { overlap: 2 });
    expect(layout.shown).toBe(2);
    // Latest first (drawn behind).
    expect(layout.ridges.map((r) => r.step)).toEqual([100, 0]);
    const r = at(layout.ridges, 0);
    expect(r.outline[0]).toEqual([0, 100]);
    expect(r.outline[r.outline.length - 1]).toEqual([3, 100]);
    const peak = Math.max(...r.outline.map((p) => p[1]));
    expect(peak).toBeCloseTo(100 + 2 * 100, 9);
    // Step outline: both edges of each bin at the bin's height.
    expect(r.outline[1]).toEqual([0, at(r.outline, 2)[1]]);
    expect(layout.xMin).toBe(0);
    expect(layout.xMax).toBe(3);
    expect(layout.yMin).toBe(0);
    expect(layout.yMax).toBeCloseTo(300, 9);
  });

  it('uses densities, so unequal bin widths are not distorted', () => {
    const layout = layoutRidges([{ step: 0, edges: [0, 1, 3], counts: [1, 2] }], { overlap: 1 });
    const ys = at(layout.ridges, 0).outline.map((p) => p[1]);
    // counts 1 over width 1 and 2 over width 2: equal densities, equal heights.
    expect(ys[1]).toBeCloseTo(at(ys, 3), 12);
  });

  it('shows at most maxRidges, first and last kept, and says how many there were', () => {
    const many = Array.from({ length: 90 }, (_, i) => hist(i * 10, [1, 2, 1]));
    const layout = layoutRidges(many, { maxRidges: 10 });
    expect(layout.total).toBe(90);
    expect(layout.shown).toBe(10);
    const steps = layout.ridges.map((r) => r.step);
    expect(steps).toContain(0);
    expect(steps).toContain(890);
  });

  it('skips histograms it cannot draw (error records, empty counts)', () => {
    const layout = layoutRidges([
      hist(1, [0, 0]),
      { step: 2, edges: [0, NaN], counts: [1] },
      { step: 3, edges: [0, 1], counts: [1, 2] },
    ]);
    expect(layout.ridges).toEqual([]);
    expect(layout.total).toBe(0);
  });
});
