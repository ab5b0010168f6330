/**
 * A figure spec to its PlotFigure, for panels about `panelWidthPx` pixels wide (the contract's
 * `figures.build` width): a compare of runs (compareFigure.ts) or a paper figure template filled with
 * runs (templateFigure.ts). Both check that every run they name exists.
 */
import type { FigureSpec, PlotFigure } from '../../../shared/plots';
import type { FigureContext } from './compareRuns';
import { buildCompareFigure } from './compareFigure';
import { buildTemplateFigure } from './templateFigure';

export function buildFigure(ctx: FigureContext, spec: FigureSpec, panelWidthPx: number): PlotFigure {
  return spec.kind === 'compare'
    ? buildCompareFigure(ctx, spec, panelWidthPx)
    : buildTemplateFigure(ctx, spec, panelWidthPx);
}
