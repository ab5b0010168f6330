/**
 * What a host answers to figures.build in renderer tests: a figure with the panels the spec asks
 * for, one line per run (or per group of runs with the same config values), so a test can check what
 * the view asked for and what it shows. Not a model of the main process' numbers.
 */
import type { CompareSpec, PlotFigure, PlotLine, PlotPanel } from '../../../src/shared/plots';
import { configValue } from '../../../src/shared/configKeys';

export interface FixtureRun {
  id: string;
  name: string;
  config: unknown;
  /** Points stored per series. */
  points: number;
}

function ramp(n: number, scale: number): { steps: number[]; x: number[]; y: number[] } {
  const steps = Array.from({ length: n }, (_, i) => (i + 1) * 10);
  return { steps, x: steps, y: steps.map((s) => scale / s) };
}

/** Drawn points per line: about one per 4 px, at most what is stored. */
export function drawnPoints(stored: number, width: number): number {
  return Math.min(stored, Math.floor(width / 4));
}

export function compareFigure(spec: CompareSpec, runs: readonly FixtureRun[], width: number): PlotFigure {
  const chosen = spec.runIds.map((id) => runs.find((r) => r.id === id)).filter((r): r is FixtureRun => !!r);
  const groups = new Map<string, FixtureRun[]>();
  for (const r of chosen) {
    const key = spec.groupBy.length
      ? spec.groupBy.map((k) => String(configValue(r.config, k))).join(', ')
      : r.id;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const panels: PlotPanel[] = spec.panels.map((p, pi) => {
    let stored = 0;
    let drawn = 0;
    const lines: PlotLine[] = [...groups.entries()].flatMap(([key, members], gi) => {
      const perRun = members[0]?.points ?? 0;
      const n = drawnPoints(perRun, width);
      stored += perRun * members.length;
      drawn += n * members.length;
      const r = ramp(n, pi + 1);
      const label = spec.groupBy.length ? `${key} (n=${members.length})` : (members[0]?.name ?? key);
      const line: PlotLine = { key, label, role: 'line', color: gi, runIds: members.map((m) => m.id), ...r };
      const raw: PlotLine[] = spec.smoothing > 0 ? [{ ...line, key: `${key}:raw`, role: 'raw' }] : [];
      return [line, ...raw];
    });
    return {
      key: `p${pi}`,
      title: p.metric,
      kind: 'lines',
      xKind: spec.x,
      xLabel: spec.x,
      yLabel: p.metric,
      xScale: p.xScale,
      yScale: p.yScale,
      palette: 'categorical',
      lines,
      ridges: [],
      notes: spec.smoothing > 0 ? [`smoothing: debiased EMA, alpha ${spec.smoothing}`] : [],
      sampling: { stored, drawn },
      xRange: spec.range ?? null,
    };
  });
  return { title: 'compare', columns: spec.columns, panels, caption: '' };
}
