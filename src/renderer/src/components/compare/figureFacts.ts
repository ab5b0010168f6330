/**
 * What the compare view says around its chart, read off the built figure: the downsampling badge of
 * a panel, which line (colour and label) each run is drawn as, the panels' notes, and the config keys
 * runs can be grouped by.
 */
import { configDiff, type ConfigValue } from '../../../../shared/configKeys';
import type { PlotFigure, PlotPanel } from '../../../../shared/plots';
import type { RunStatus } from '../../../../shared/runTypes';
import { formatCount } from '../../format/numbers';

/** "1,000 of 1,000,000 points" when the panel shows fewer points than its range stores; else null. */
export function samplingBadge(panel: Pick<PlotPanel, 'sampling'>): string | null {
  const s = panel.sampling;
  if (s === null || s.drawn >= s.stored) return null;
  return `${formatCount(s.drawn)} of ${formatCount(s.stored)} points`;
}

export interface RunLine {
  /** Palette slot of the run's line (its group's, when grouped). */
  color: number;
  /** The line's legend text: the run, or its group with "(n=K)". */
  label: string;
}

/** Each run's line in the figure: the first 'line' of any panel that draws it. */
export function runLines(figure: PlotFigure | null): Map<string, RunLine> {
  const out = new Map<string, RunLine>();
  for (const panel of figure?.panels ?? []) {
    for (const line of panel.lines) {
      if (line.role !== 'line') continue;
      for (const id of line.runIds) if (!out.has(id)) out.set(id, { color: line.color, label: line.label });
    }
  }
  return out;
}

/**
 * The keys the runs can be grouped by: those whose values differ across the runs (grouping by a key
 * all share makes one group), plus the ones already chosen, in the config's order.
 */
export function groupableKeys(configs: readonly unknown[], chosen: readonly string[]): string[] {
  const keys = configs.length > 1 ? configDiff(configs).map((r) => r.key) : [];
  for (const k of chosen) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** A config value in a table cell: missing as an em dash, strings as they are. */
export function formatConfigValue(v: ConfigValue | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  return String(v);
}

/**
 * The panels' notes, each said once: with the panels it concerns, or alone when it concerns every
 * panel (a figure-wide "bands: min to max" is not worth repeating per panel).
 */
export function panelNotes(figure: PlotFigure | null): { note: string; panels: string[] }[] {
  const panels = figure?.panels ?? [];
  const byNote = new Map<string, string[]>();
  for (const p of panels)
    for (const note of p.notes) byNote.set(note, [...(byNote.get(note) ?? []), p.title]);
  return [...byNote].map(([note, titles]) => ({
    note,
    panels: panels.length > 1 && titles.length === panels.length ? [] : titles,
  }));
}

/** A column of the config diff table. */
export interface DiffRun {
  id: string;
  name: string;
  status: RunStatus | null;
  /** The run's config (runs.get); undefined until read. */
  config: unknown;
  /** The chart's colour for it, or null while it is not drawn. */
  color: string | null;
  /** Its line's label when that is not the run itself (a group: "batch (n=2)"). */
  line: string | null;
}
