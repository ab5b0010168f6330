import { describe, expect, it } from 'vitest';

import { withScales } from '../../src/shared/plotScales';
import { decay, figure, line, panel, ridgePanel } from './plotFigures';

describe('withScales', () => {
  it('turns values <= 0 on a log y axis into gaps and counts them, points and band edges alike', () => {
    const y = [1, 0, 2, -3, 4];
    const lo = [0.5, -1, 1, 1, 0];
    const fig = figure([
      panel('p', [line('a', y, { band: { lo, hi: [2, 2, 3, 3, 5] } })], { yScale: 'log' }),
    ]);
    const out = withScales(fig);
    const p = out.panels[0];
    const l = p?.lines[0];
    expect(l?.y).toEqual([1, Number.NaN, 2, Number.NaN, 4]);
    expect(l?.band?.lo).toEqual([0.5, Number.NaN, 1, 1, Number.NaN]);
    expect(l?.band?.hi).toEqual([2, 2, 3, 3, 5]);
    // x is linear here: untouched.
    expect(l?.x).toEqual([0, 10, 20, 30, 40]);
    expect(p?.notes).toEqual(['4 values <= 0 not drawn (log y)']);
    // The input is not changed.
    expect(fig.panels[0]?.lines[0]?.y).toEqual(y);
    expect(fig.panels[0]?.notes).toEqual([]);
  });

  it('drops x <= 0 on a log x axis, and an end marker it cannot place', () => {
    const end = { x: 0, y: 1, step: 0, text: 'diverged @ 0' };
    const fig = figure([panel('p', [line('a', [1, 2, 3], { end })], { xScale: 'log', notes: ['kept'] })]);
    const p = withScales(fig).panels[0];
    expect(p?.lines[0]?.x).toEqual([Number.NaN, 10, 20]);
    expect(p?.lines[0]?.y).toEqual([1, 2, 3]);
    expect(p?.lines[0]?.end).toBeUndefined();
    expect(p?.notes).toEqual(['kept', '2 values <= 0 not drawn (log x)']);
  });

  it('says one value in the singular', () => {
    const p = withScales(figure([panel('p', [line('a', [1, 0])], { yScale: 'log' })])).panels[0];
    expect(p?.notes).toEqual(['1 value <= 0 not drawn (log y)']);
  });

  it('keeps the histogram bins right of 0 on a ridge panel with a log x', () => {
    const rows = [{ step: 1, edges: [-1, 0, 1, 2], counts: [5, 6, 7] }];
    const r = ridgePanel('r', rows);
    const p = withScales(figure([{ ...r, xScale: 'log' }])).panels[0];
    expect(p?.ridges[0]).toEqual({ step: 1, edges: [1, 2], counts: [7] });
    expect(p?.notes).toEqual(['2 histogram bins <= 0 not drawn (log x)']);
  });

  it('is idempotent and leaves linear panels and positive data as they are', () => {
    const fig = figure([
      panel('log', [line('a', [1, 0, 2])], { yScale: 'log' }),
      panel('lin', [line('a', [-1, 0, 2])]),
      panel('pos', [line('a', decay(5))], { yScale: 'log' }),
    ]);
    const once = withScales(fig);
    expect(withScales(once)).toBe(once);
    expect(once.panels[1]).toBe(fig.panels[1]);
    expect(once.panels[2]).toBe(fig.panels[2]);
    const clean = figure([fig.panels[1], fig.panels[2]].filter((p) => p !== undefined));
    expect(withScales(clean)).toBe(clean);
  });
});
