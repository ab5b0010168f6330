/**
 * Compare and figures: the series a set of runs has (the compare view's metric picker), the paper
 * figure templates with their default runs, a figure as data for a width, and a figure as a file.
 */
import type { ApiHandlers } from '../dispatch';
import { buildFigure } from '../figures/buildFigure';
import { compareMetrics } from '../figures/compareFigure';
import { exportFigure } from '../figures/figureExport';
import { listTemplates } from '../figures/templateFigure';
import type { ServiceContext } from '../serviceContext';

type FigureHandlers = Pick<
  ApiHandlers,
  'compare.metrics' | 'figures.templates' | 'figures.build' | 'figures.export'
>;

export function figureHandlers(ctx: ServiceContext): FigureHandlers {
  return {
    'compare.metrics': ({ runIds }) => compareMetrics(ctx, runIds),
    'figures.templates': () => listTemplates(ctx),
    'figures.build': ({ spec, width }) => buildFigure(ctx, spec, width),
    'figures.export': ({ spec, format, size }) => exportFigure(ctx, spec, format, size),
  };
}
