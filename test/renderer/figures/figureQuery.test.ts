import { describe, expect, it } from 'vitest';
import type { LocationQuery } from 'vue-router';
import { templateSpecSchema } from '../../../src/shared/plots';
import {
  figureStateFromQuery,
  presetToRun,
  queryFromFigureState,
  slotRuns,
  templateSpec,
  type FigureState,
} from '../../../src/renderer/src/components/figures/figureQuery';

function roundTrip(state: FigureState): FigureState {
  const query: LocationQuery = {};
  for (const [k, v] of Object.entries(queryFromFigureState(state))) query[k] = String(v);
  return figureStateFromQuery(query);
}

describe("a figure template's choices in the URL", () => {
  it('reads back what it wrote, an emptied slot included', () => {
    const state: FigureState = {
      slots: { bn: ['a1', 'a2'], plain: [], 'plain-lr0.1': ['c3'] },
      paper: false,
      smoothing: 0.8,
      band: 'std',
      range: [100, 900],
    };
    expect(roundTrip(state)).toEqual(state);
  });

  it('leaves the defaults out', () => {
    expect(
      queryFromFigureState({ slots: {}, paper: true, smoothing: 0, band: 'minmax', range: null }),
    ).toEqual({});
    expect(figureStateFromQuery({})).toEqual({
      slots: {},
      paper: true,
      smoothing: 0,
      band: 'minmax',
      range: null,
    });
  });

  it('builds a valid template spec with only the chosen slots', () => {
    const spec = templateSpec(
      'fig4',
      figureStateFromQuery({ 'slot.bn': 'x,y', smooth: '0.5', range: '0,500' }),
    );
    expect(templateSpecSchema.parse(spec)).toEqual({
      kind: 'template',
      template: 'fig4',
      slots: { bn: ['x', 'y'] },
      paper: true,
      smoothing: 0.5,
      band: 'minmax',
      range: [0, 500],
    });
  });

  it("fills a slot with the user's runs, else the template's default", () => {
    const defaults = [
      { label: 'bn', runIds: ['d1'] },
      { label: 'plain', runIds: ['d2', 'd3'] },
    ];
    const state = figureStateFromQuery({ 'slot.bn': 'u1' });
    expect(slotRuns(state, defaults, 'bn')).toEqual(['u1']);
    expect(slotRuns(state, defaults, 'plain')).toEqual(['d2', 'd3']);
    expect(slotRuns(state, defaults, 'nope')).toEqual([]);
  });

  it('runs the CPU-scale preset of an empty slot when there is one', () => {
    expect(presetToRun(['fig4', 'fig4-cpu'])).toBe('fig4-cpu');
    expect(presetToRun(['fig2'])).toBe('fig2');
    expect(presetToRun([])).toBeNull();
  });
});
