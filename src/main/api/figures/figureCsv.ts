/**
 * The data behind a figure as CSV: one row per plotted point of every panel, as drawn (after the
 * figure's downsampling and smoothing), so a reader can redraw or check the figure. One table for
 * every panel kind: line points fill x, y and the band; ridge panels (histograms by step) fill one
 * row per bin with bin_lo, bin_hi and count. Numbers are written with String(n), the shortest text
 * that parses back to the same double; NaN and the infinities as `NaN`, `Infinity`, `-Infinity`.
 */
import type { PlotFigure, PlotLine, PlotPanel } from '../../../shared/plots';
import { csvLine } from '../runExport';

export const FIGURE_CSV_COLUMNS = [
  'panel',
  'panel_title',
  'line',
  'label',
  'role',
  'run_ids',
  'step',
  'x',
  'y',
  'band_lo',
  'band_hi',
  'bin_lo',
  'bin_hi',
  'count',
] as const;

type Cell = string | null;

/** String(n) round-trips every double but -0, which it writes as "0". */
export function csvNumber(n: number | undefined): Cell {
  if (n === undefined) return null;
  return Object.is(n, -0) ? '-0' : String(n);
}

function* lineRows(panel: PlotPanel, line: PlotLine): Generator<Cell[]> {
  const head = [panel.key, panel.title, line.key, line.label, line.role, line.runIds.join(' ')];
  for (let i = 0; i < line.x.length; i++) {
    yield [
      ...head,
      csvNumber(line.steps[i]),
      csvNumber(line.x[i]),
      csvNumber(line.y[i]),
      csvNumber(line.band?.lo[i]),
      csvNumber(line.band?.hi[i]),
      null,
      null,
      null,
    ];
  }
}

function* ridgeRows(panel: PlotPanel): Generator<Cell[]> {
  for (const row of panel.ridges) {
    for (let b = 0; b < row.counts.length; b++) {
      yield [
        panel.key,
        panel.title,
        null,
        null,
        null,
        null,
        csvNumber(row.step),
        null,
        null,
        null,
        null,
        csvNumber(row.edges[b]),
        csvNumber(row.edges[b + 1]),
        csvNumber(row.counts[b]),
      ];
    }
  }
}

/** The whole CSV text, header first. */
export function figureCsv(figure: PlotFigure): string {
  const out = [csvLine(FIGURE_CSV_COLUMNS)];
  for (const panel of figure.panels) {
    for (const line of panel.lines) for (const cells of lineRows(panel, line)) out.push(csvLine(cells));
    for (const cells of ridgeRows(panel)) out.push(csvLine(cells));
  }
  return out.join('');
}
