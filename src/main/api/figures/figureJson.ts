/**
 * The data behind a figure as JSON: `{ spec, size, figure }`, the spec it was built from (with its
 * defaults filled in), the printed size and the PlotFigure (shared/plots.ts) exactly as drawn. JSON
 * has no NaN or Infinity: those values are written as the strings "NaN", "Infinity" and "-Infinity",
 * as in a run's JSON export (runExport.ts).
 */
import type { FigureSpec, PlotFigure } from '../../../shared/plots';
import { finiteOrString } from '../runExport';

/** The export's printed size with its height resolved (the spec's may be left to the figure). */
export interface ResolvedSize {
  widthMm: number;
  heightMm: number;
  dpi: number;
}

export function figureJson(spec: FigureSpec, size: ResolvedSize, figure: PlotFigure): string {
  return `${JSON.stringify({ spec, size, figure }, finiteOrString, 2)}\n`;
}
