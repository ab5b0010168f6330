/**
 * A compare view as a figure: one panel per metric, in each a line per run or per group of runs
 * (runs with equal values of the groupBy config keys: their mean, with a band over them).
 *
 * Groups are sorted by label, so a group keeps its colour (its palette slot, by position) in every
 * panel and from one build to the next whatever order the runs were picked in.
 */
import { configValue, groupLabel } from '../../../shared/configKeys';
import { effectiveConfig } from '../../../shared/effectiveConfig';
import type { CompareSpec, PlotFigure, PlotPanel } from '../../../shared/plots';
import type { RunRecord } from '../../../shared/runTypes';
import { requireRuns, type FigureContext } from './compareRuns';
import { metricName } from './metricName';
import { seriesLines, type LineGroup } from './seriesLines';

export { compareMetrics } from './compareMetrics';

/** The runs' groups: by the values of `groupBy` (empty: one per run), sorted by label, coloured in that order. */
export function compareGroups(runs: readonly RunRecord[], groupBy: readonly string[]): LineGroup[] {
  const byKey = new Map<string, { label: string; runIds: string[] }>();
  for (const run of runs) {
    let key: string;
    let label: string;
    if (groupBy.length === 0) {
      key = run.id;
      label = run.name || run.id;
    } else {
      // With today's defaults, so a run stored before a key existed groups with its default value.
      const config = effectiveConfig(run.config);
      const values = groupBy.map((k) => configValue(config, k));
      // undefined (a key the config lacks) is not JSON: spelled out so it differs from null.
      key = JSON.stringify(values.map((v) => (v === undefined ? { none: true } : v)));
      label = groupLabel(groupBy, values);
    }
    const group = byKey.get(key);
    if (group) group.runIds.push(run.id);
    else byKey.set(key, { label, runIds: [run.id] });
  }
  return [...byKey]
    .map(([key, g]) => ({ key, label: g.label, runIds: g.runIds }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }) || cmp(a.key, b.key))
    .map((g, color) => ({ ...g, color }));
}

export function buildCompareFigure(ctx: FigureContext, spec: CompareSpec, widthPx: number): PlotFigure {
  const runs = requireRuns(ctx, [...new Set(spec.runIds)]);
  const groups = compareGroups(runs, spec.groupBy);
  const keys = new Map<string, number>();
  for (const p of spec.panels) keys.set(p.metric, (keys.get(p.metric) ?? 0) + 1);
  const panels = spec.panels.map((p, i): PlotPanel => {
    const read = seriesLines(ctx, groups, p.metric, {
      x: spec.x,
      ...(spec.range ? { range: spec.range } : {}),
      widthPx,
      band: spec.band,
      smoothing: spec.smoothing,
    });
    return {
      // A metric shown twice (say, linear and log) is told apart by its position.
      key: (keys.get(p.metric) ?? 0) > 1 ? `${p.metric}#${i}` : p.metric,
      title: p.metric,
      kind: 'lines',
      xKind: spec.x,
      xLabel: read.xLabel,
      yLabel: metricName(p.metric),
      xScale: p.xScale,
      yScale: p.yScale,
      palette: 'categorical',
      lines: read.lines,
      ridges: [],
      notes: read.notes,
      sampling: read.sampling,
      xRange: spec.range ?? null,
    };
  });
  return {
    title: spec.title ?? `Compare: ${spec.panels.map((p) => metricName(p.metric)).join(', ')}`,
    columns: spec.columns,
    panels,
    caption: caption(spec, runs),
  };
}

function caption(spec: CompareSpec, runs: readonly RunRecord[]): string {
  const parts = [`Runs: ${runs.map((r) => (r.name ? `${r.id} (${r.name})` : r.id)).join(', ')}.`];
  if (spec.groupBy.length > 0) {
    const band = spec.band === 'std' ? 'mean -+ one std' : 'min to max';
    parts.push(`Grouped by ${spec.groupBy.join(', ')}: the mean over each group's runs, band ${band}.`);
  }
  parts.push(spec.smoothing > 0 ? `Smoothing: debiased EMA, alpha ${spec.smoothing}.` : 'No smoothing.');
  return parts.join(' ');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
