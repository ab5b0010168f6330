import { describe, expect, it } from 'vitest';
import type { PlotFigure, PlotLine } from '../../../src/shared/plots';
import {
  formatConfigValue,
  groupableKeys,
  panelNotes,
  runLines,
  samplingBadge,
} from '../../../src/renderer/src/components/compare/figureFacts';

const line = (patch: Partial<PlotLine>): PlotLine => ({
  key: 'k',
  label: 'l',
  role: 'line',
  color: 0,
  runIds: [],
  steps: [],
  x: [],
  y: [],
  ...patch,
});

describe('what the compare view reads off a figure', () => {
  it('badges a panel only when it draws fewer points than it stores', () => {
    expect(samplingBadge({ sampling: { stored: 1_000_000, drawn: 1000 } })).toBe('1,000 of 1,000,000 points');
    expect(samplingBadge({ sampling: { stored: 40, drawn: 40 } })).toBeNull();
    expect(samplingBadge({ sampling: null })).toBeNull();
  });

  it("finds each run's line: its group's colour and label, raw and paper lines aside", () => {
    const figure: PlotFigure = {
      title: '',
      columns: 1,
      caption: '',
      panels: [
        {
          key: 'p',
          title: 'loss',
          kind: 'lines',
          xKind: 'step',
          xLabel: 'step',
          yLabel: 'loss',
          xScale: 'linear',
          yScale: 'linear',
          palette: 'categorical',
          lines: [
            line({ key: 'raw', role: 'raw', color: 5, runIds: ['a', 'b'] }),
            line({ key: 'g1', label: 'batch (n=2)', color: 1, runIds: ['a', 'b'] }),
            line({ key: 'paper', role: 'paper', color: 2, runIds: ['c'] }),
            line({ key: 'g2', label: 'run c', color: 2, runIds: ['c'] }),
          ],
          ridges: [],
          notes: [],
          sampling: null,
          xRange: null,
        },
      ],
    };
    const lines = runLines(figure);
    expect(lines.get('a')).toEqual({ color: 1, label: 'batch (n=2)' });
    expect(lines.get('b')).toEqual({ color: 1, label: 'batch (n=2)' });
    expect(lines.get('c')).toEqual({ color: 2, label: 'run c' });
    expect(runLines(null).size).toBe(0);
  });

  it('says each note once, with its panels unless it concerns them all', () => {
    const panel = (title: string, notes: string[]) => ({ title, notes }) as PlotFigure['panels'][number];
    const figure = {
      title: '',
      columns: 2,
      caption: '',
      panels: [
        panel('loss', ['smoothing 0.6', 'no train/loss in run c']),
        panel('accuracy', ['smoothing 0.6']),
      ],
    };
    expect(panelNotes(figure)).toEqual([
      { note: 'smoothing 0.6', panels: [] },
      { note: 'no train/loss in run c', panels: ['loss'] },
    ]);
    expect(panelNotes({ ...figure, panels: [panel('loss', ['x'])] })).toEqual([
      { note: 'x', panels: ['loss'] },
    ]);
    expect(panelNotes(null)).toEqual([]);
  });

  it('offers to group by the keys that differ, and keeps the chosen ones', () => {
    const configs = [
      { model: { normalization: 'batch', network: 'vgg' }, seed: 1 },
      { model: { normalization: 'none', network: 'vgg' }, seed: 1 },
    ];
    expect(groupableKeys(configs, [])).toEqual(['model.normalization']);
    expect(groupableKeys(configs, ['seed'])).toEqual(['model.normalization', 'seed']);
    expect(groupableKeys([configs[0]], [])).toEqual([]);
  });

  it('shows config values as written', () => {
    expect(formatConfigValue(undefined)).toBe('—');
    expect(formatConfigValue(null)).toBe('null');
    expect(formatConfigValue(0.1)).toBe('0.1');
    expect(formatConfigValue(false)).toBe('false');
    expect(formatConfigValue('[1,2]')).toBe('[1,2]');
  });
});
