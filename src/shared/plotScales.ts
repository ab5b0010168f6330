/**
 * True log axes: a value <= 0 has no place on a log axis, so it is not drawn (it becomes NaN, a gap)
 * and the panel says how many were left out. Nothing is clipped to a small positive number: a faked
 * point would read as data.
 */
import type { PlotFigure, PlotLine, PlotPanel, RidgeRow } from './plots';

/** NaN for values <= 0; `count.n` grows by the values dropped. The same array when none is. */
function positive(values: readonly number[], count: { n: number }): number[] {
  let dropped = 0;
  for (const v of values) if (v <= 0) dropped++;
  if (dropped === 0) return values as number[];
  count.n += dropped;
  return values.map((v) => (v <= 0 ? Number.NaN : v));
}

function scaleLine(
  line: PlotLine,
  logX: boolean,
  logY: boolean,
  xs: { n: number },
  ys: { n: number },
): PlotLine {
  const x = logX ? positive(line.x, xs) : line.x;
  const y = logY ? positive(line.y, ys) : line.y;
  const band = line.band && {
    lo: logY ? positive(line.band.lo, ys) : line.band.lo,
    hi: logY ? positive(line.band.hi, ys) : line.band.hi,
  };
  let end = line.end;
  if (end !== undefined && ((logX && end.x <= 0) || (logY && end.y <= 0))) {
    if (logX && end.x <= 0) xs.n++;
    if (logY && end.y <= 0) ys.n++;
    end = undefined;
  }
  if (
    x === line.x &&
    y === line.y &&
    band?.lo === line.band?.lo &&
    band?.hi === line.band?.hi &&
    end === line.end
  ) {
    return line;
  }
  const out: PlotLine = { ...line, x, y };
  if (band) out.band = band;
  if (end) out.end = end;
  else delete out.end;
  return out;
}

/** A ridge on a log x keeps the bins right of 0 (edges increase, so they are the last ones). */
function scaleRidge(row: RidgeRow, xs: { n: number }): RidgeRow {
  const first = row.edges.findIndex((e) => e > 0);
  if (first === 0) return row;
  const start = first < 0 ? row.counts.length : first;
  xs.n += Math.min(start, row.counts.length);
  return { ...row, edges: first < 0 ? [] : row.edges.slice(start), counts: row.counts.slice(start) };
}

function note(n: number, what: string, axis: 'x' | 'y'): string {
  return `${n} ${what}${n === 1 ? '' : 's'} <= 0 not drawn (log ${axis})`;
}

function scalePanel(panel: PlotPanel): PlotPanel {
  const logX = panel.xScale === 'log';
  // A ridge panel's y is its rows (one per step), never a log axis of data.
  const logY = panel.yScale === 'log' && panel.kind === 'lines';
  if (!logX && !logY) return panel;
  const xs = { n: 0 };
  const ys = { n: 0 };
  const lines = panel.lines.map((l) => scaleLine(l, logX, logY, xs, ys));
  const bins = { n: 0 };
  const ridges = logX ? panel.ridges.map((r) => scaleRidge(r, bins)) : panel.ridges;
  const notes = [...panel.notes];
  if (xs.n > 0) notes.push(note(xs.n, 'value', 'x'));
  if (bins.n > 0) notes.push(note(bins.n, 'histogram bin', 'x'));
  if (ys.n > 0) notes.push(note(ys.n, 'value', 'y'));
  if (notes.length === panel.notes.length) return panel;
  return { ...panel, lines, ridges, notes };
}

/**
 * The figure as a log axis can show it: on each log axis, values <= 0 (points, band edges, end
 * markers; histogram bins left of 0 on a ridge panel's log x) become NaN or are left out, and the
 * panel gets a note such as "3 values <= 0 not drawn (log y)". Idempotent: a second call finds
 * nothing more to drop and adds no note. Panels without log axes are returned as they are.
 */
export function withScales(figure: PlotFigure): PlotFigure {
  const panels = figure.panels.map(scalePanel);
  return panels.every((p, i) => p === figure.panels[i]) ? figure : { ...figure, panels };
}
