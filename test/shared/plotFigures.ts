/** PlotFigure builders for the plot option tests: a line, a panel, a figure, with plain defaults. */
import type { PlotFigure, PlotLine, PlotPanel, RidgeRow } from '../../src/shared/plots';

/** x = 0, 10, 20, ... for each y. */
export function line(key: string, y: readonly number[], extra: Partial<PlotLine> = {}): PlotLine {
  const x = y.map((_, i) => i * 10);
  return { key, label: key, role: 'line', color: 0, runIds: [], steps: x, x, y: [...y], ...extra };
}

export function panel(key: string, lines: PlotLine[], extra: Partial<PlotPanel> = {}): PlotPanel {
  return {
    key,
    title: `Panel ${key}`,
    kind: 'lines',
    xKind: 'step',
    xLabel: 'step',
    yLabel: 'loss',
    xScale: 'linear',
    yScale: 'linear',
    palette: 'categorical',
    lines,
    ridges: [],
    notes: [],
    sampling: null,
    xRange: null,
    ...extra,
  };
}

export function ridgePanel(key: string, ridges: RidgeRow[]): PlotPanel {
  return panel(key, [], {
    kind: 'ridge',
    xKind: 'value',
    xLabel: 'pre-activation',
    yLabel: 'step',
    palette: 'sequential',
    ridges,
  });
}

export function figure(panels: PlotPanel[], extra: Partial<PlotFigure> = {}): PlotFigure {
  return { title: 'A figure', columns: 2, panels, caption: '', ...extra };
}

/** n values of a decaying curve, all positive. */
export function decay(n: number, scale = 1): number[] {
  return Array.from({ length: n }, (_, i) => scale * (0.1 + Math.exp(-i / 20)));
}
