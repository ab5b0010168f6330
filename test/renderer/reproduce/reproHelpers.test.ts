import { describe, expect, it } from 'vitest';
import { claimFigure } from '../../../src/renderer/src/components/reproduce/claimFigures';
import {
  startSummary,
  thresholdText,
  totalTimeText,
} from '../../../src/renderer/src/components/reproduce/reproFormat';
import {
  queryFromReproState,
  reproOptions,
  reproStateFromQuery,
} from '../../../src/renderer/src/components/reproduce/reproQuery';
import { findTemplate } from '../../../src/shared/figureTemplates';

describe('the reproduction in the URL', () => {
  it('reads scale, only and reading, with the defaults for what is absent or unknown', () => {
    expect(reproStateFromQuery({})).toEqual({ scale: 'cpu', only: null, reading: 'spec' });
    expect(reproStateFromQuery({ scale: 'huge', only: '', reading: ' ' })).toEqual({
      scale: 'cpu',
      only: null,
      reading: 'spec',
    });
    expect(reproStateFromQuery({ scale: ['smoke', 'paper'], only: 'fig4', reading: 'lp-summed' })).toEqual({
      scale: 'smoke',
      only: 'fig4',
      reading: 'lp-summed',
    });
  });

  it('writes back what it read, leaving the defaults out of the options', () => {
    const state = { scale: 'quick' as const, only: 'fig2', reading: 'spec' };
    expect(queryFromReproState(state)).toEqual({ scale: 'quick', only: 'fig2' });
    expect(reproStateFromQuery(queryFromReproState(state) as Record<string, string>)).toEqual(state);
    expect(reproOptions(state)).toEqual({ scale: 'quick', only: 'fig2' });
    expect(reproOptions({ scale: 'paper', only: null, reading: 'no-norm-bias' })).toEqual({
      scale: 'paper',
      reading: 'no-norm-bias',
    });
  });
});

describe('the words of the numbers', () => {
  it('gives a threshold its comparison and 3 significant digits', () => {
    expect(thresholdText('<=', 0.5)).toBe('≤ 0.500');
    expect(thresholdText('>=', 70)).toBe('≥ 70.0');
  });

  it("says a plan's time left: all known, partly known, or nothing to train", () => {
    const base = { scale: 'cpu' as const, runs: 6 };
    expect(totalTimeText({ ...base, toTrain: 3, knownSec: 5400, unknownRuns: 0, totalSec: 5400 })).toBe(
      'about 1 h 30 min',
    );
    expect(totalTimeText({ ...base, toTrain: 3, knownSec: 90, unknownRuns: 2, totalSec: null })).toBe(
      'at least 2 min, 2 runs without a timing here',
    );
    expect(totalTimeText({ ...base, toTrain: 1, knownSec: 0, unknownRuns: 1, totalSec: null })).toBe(
      '1 run without a timing here',
    );
    expect(totalTimeText({ ...base, toTrain: 0, knownSec: 0, unknownRuns: 0, totalSec: 0 })).toBe(
      'nothing left to train',
    );
  });

  it('says what a start did', () => {
    const none = { tag: 't', queued: [], resumed: [], reused: [], elsewhere: [] };
    expect(startSummary(none)).toBe('nothing to do: the plan has no runs');
    expect(startSummary({ ...none, queued: ['a', 'b'] })).toBe('Queued 2 runs');
    expect(
      startSummary({ ...none, queued: ['a'], resumed: ['a'], reused: ['b', 'c'], elsewhere: ['d'] }),
    ).toBe(
      'Queued 1 run (1 resumed from a checkpoint); reused 2 stored runs; 1 run training in another process (read when they finish)',
    );
  });
});

describe("a claim's figure", () => {
  const labels = findTemplate('fig4')?.slots ?? [];

  it('names every slot of the template, an empty one with an empty list', () => {
    expect(labels.length).toBeGreaterThan(1);
    const [first, ...rest] = labels as [string, ...string[]];
    const f = claimFigure('fig4', ['fig4'], { [`fig4/${first}`]: ['r1', 'r2'], 'fig10/bn': ['x'] });
    expect(f.inPlan).toBe(true);
    expect(f.runs).toBe(2);
    expect(f.spec).toEqual({
      kind: 'template',
      template: 'fig4',
      slots: Object.fromEntries([[first, ['r1', 'r2']], ...rest.map((l) => [l, []])]),
      paper: true,
      smoothing: 0,
      band: 'minmax',
    });
  });

  it('draws nothing without runs, or outside the reproduction', () => {
    expect(claimFigure('fig4', ['fig4'], {}).spec).toBeNull();
    const outside = claimFigure('fig10', ['fig4'], { 'fig10/bn': ['x'] });
    expect(outside.inPlan).toBe(false);
    expect(outside.spec).toBeNull();
    expect(claimFigure('fig99', ['fig99'], { 'fig99/a': ['x'] }).spec).toBeNull();
  });
});
