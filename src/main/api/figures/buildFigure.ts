/**
 * A figure spec to its PlotFigure, for panels about `panelWidthPx` pixels wide (the contract's
 * `figures.build` width): a compare of runs (compareFigure.ts) or a paper figure template filled with
 * runs (templateFigure.ts). Both check that every run they name exists.
 */
import { findTemplate } from '../../../shared/figureTemplates';
import type { FigureSpec, PlotFigure } from '../../../shared/plots';
import type { FigureContext } from './compareRuns';
import { buildCompareFigure } from './compareFigure';
import { buildTemplateFigure } from './templateFigure';

/** Panels per row of the spec's figure: a template's own layout, a compare's `columns`. */
export function specColumns(spec: FigureSpec): number {
  if (spec.kind === 'compare') return Math.max(1, Math.min(spec.columns, spec.panels.length));
  const template = findTemplate(spec.template);
  return template ? Math.max(1, Math.min(template.columns, template.panels.length)) : 1;
}

export function buildFigure(ctx: FigureContext, spec: FigureSpec, panelWidthPx: number): PlotFigure {
  return spec.kind === 'compare'
    ? buildCompareFigure(ctx, spec, panelWidthPx)
    : buildTemplateFigure(ctx, spec, panelWidthPx);
}
