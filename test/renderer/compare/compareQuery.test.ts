import { describe, expect, it } from 'vitest';
import type { LocationQuery } from 'vue-router';
import { compareSpecSchema } from '../../../src/shared/plots';
import {
  clampSmoothing,
  defaultPanels,
  MAX_PANELS,
  parseRange,
  queryFromState,
  specFromState,
  stateFromQuery,
  type CompareState,
} from '../../../src/renderer/src/components/compare/compareQuery';

/** What the router hands back for a query it was given (every value a string). */
function roundTrip(state: CompareState): CompareState {
  const raw = queryFromState(state);
  const query: LocationQuery = {};
  for (const [k, v] of Object.entries(raw)) query[k] = v === undefined || v === null ? null : String(v);
  return stateFromQuery(query);
}

const full: CompareState = {
  runIds: ['a1', 'b2', 'c3'],
  panels: [
    { metric: 'train/loss', xScale: 'linear', yScale: 'log' },
    { metric: 'probe/ics/layer5/l2', xScale: 'log', yScale: 'log' },
    { metric: 'test/accuracy', xScale: 'linear', yScale: 'linear' },
  ],
  x: 'epoch',
  range: [1.25, 7.5],
  groupBy: ['model.normalization', 'optimizer.lr'],
  band: 'std',
  smoothing: 0.6,
};

describe('the compare view state in the URL', () => {
  it('reads back what it wrote', () => {
    expect(roundTrip(full)).toEqual(full);
  });

  it('leaves the defaults out of the URL', () => {
    const q = queryFromState({
      runIds: ['a1'],
      panels: [{ metric: 'train/loss', xScale: 'linear', yScale: 'linear' }],
      x: 'step',
      range: null,
      groupBy: [],
      band: 'minmax',
      smoothing: 0,
    });
    expect(q).toEqual({ runs: 'a1', m: 'train/loss' });
  });

  it('says which panels are on a log axis by their index', () => {
    expect(queryFromState(full)).toMatchObject({ logx: '1', logy: '0,1' });
  });

  it('reads the bench and e2e tests URL: runs and one metric, defaults for the rest', () => {
    const s = stateFromQuery({ runs: 'r1,r2,,r1', m: 'train/loss' });
    expect(s).toEqual({
      runIds: ['r1', 'r2'],
      panels: [{ metric: 'train/loss', xScale: 'linear', yScale: 'linear' }],
      x: 'step',
      range: null,
      groupBy: [],
      band: 'minmax',
      smoothing: 0,
    });
  });

  it('accepts repeated parameters as lists', () => {
    expect(stateFromQuery({ runs: ['r1', 'r2,r3'] }).runIds).toEqual(['r1', 'r2', 'r3']);
  });

  it('ignores what is not valid instead of failing', () => {
    const s = stateFromQuery({
      runs: 'r1',
      x: 'minutes',
      band: 'iqr',
      smooth: '-3',
      range: '5,2',
      logy: 'x,-1,0',
      m: Array.from({ length: MAX_PANELS + 3 }, (_, i) => `m${i}`).join(','),
    });
    expect(s.x).toBe('step');
    expect(s.band).toBe('minmax');
    expect(s.smoothing).toBe(0);
    expect(s.range).toBeNull();
    expect(s.panels).toHaveLength(MAX_PANELS);
    expect(s.panels.map((p) => p.yScale).filter((y) => y === 'log')).toHaveLength(1);
  });

  it('clamps the smoothing factor below 1 (alpha 1 would never move)', () => {
    expect(clampSmoothing(0.999)).toBe(0.99);
    expect(clampSmoothing(Number.NaN)).toBe(0);
    expect(clampSmoothing(0.3)).toBe(0.3);
  });

  it('parses a zoom only when it is two finite numbers in order', () => {
    expect(parseRange('10,20')).toEqual([10, 20]);
    expect(parseRange('1e3,2.5e3')).toEqual([1000, 2500]);
    expect(parseRange('10,')).toBeNull();
    expect(parseRange('10,20,30')).toBeNull();
    expect(parseRange('20,20')).toBeNull();
    expect(parseRange(null)).toBeNull();
  });
});

describe('the spec built from the state', () => {
  it('is a valid compare spec for figures.build', () => {
    const spec = specFromState(full);
    expect(spec).not.toBeNull();
    const parsed = compareSpecSchema.parse(spec);
    expect(parsed.range).toEqual([1.25, 7.5]);
    expect(parsed.panels[1]).toEqual({ metric: 'probe/ics/layer5/l2', xScale: 'log', yScale: 'log' });
    expect(parsed.groupBy).toEqual(['model.normalization', 'optimizer.lr']);
  });

  it('is null while there is nothing to draw', () => {
    expect(specFromState({ ...full, panels: [] })).toBeNull();
    expect(specFromState({ ...full, runIds: [] })).toBeNull();
  });

  it('has no range when the view is not zoomed', () => {
    expect(specFromState({ ...full, range: null })).not.toHaveProperty('range');
  });
});

describe('the panels a fresh compare opens with', () => {
  it('are loss and accuracies, in that order, where the runs have them', () => {
    const panels = defaultPanels([
      { name: 'test/accuracy', runs: 2 },
      { name: 'probe/ics/layer5/l2', runs: 2 },
      { name: 'train/loss', runs: 2 },
    ]);
    expect(panels.map((p) => p.metric)).toEqual(['train/loss', 'test/accuracy']);
  });

  it('fall back to the metric most runs have', () => {
    const panels = defaultPanels([
      { name: 'dln/loss', runs: 1 },
      { name: 'dln/grad', runs: 3 },
    ]);
    expect(panels.map((p) => p.metric)).toEqual(['dln/grad']);
  });

  it('are none when the runs have no series', () => {
    expect(defaultPanels([])).toEqual([]);
  });
});
