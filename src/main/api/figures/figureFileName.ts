/**
 * The file name an export suggests: the template's name (`fig4.svg`), or `compare-` and the compared
 * metrics (`compare-train-loss.pdf`), with every character outside [a-z0-9._-] made a dash.
 */
import type { ExportFormat, FigureSpec } from '../../../shared/plots';

/** Long metric lists are cut here; the file name only has to say what the figure is. */
const MAX_STEM = 80;

export const FIGURE_MIME: Record<ExportFormat, string> = {
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  png: 'image/png',
  csv: 'text/csv',
  json: 'application/json',
};

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
}

export function figureFileName(spec: FigureSpec, format: ExportFormat): string {
  const stem =
    spec.kind === 'template'
      ? slug(spec.template)
      : ['compare', ...spec.panels.map((p) => slug(p.metric))].filter((s) => s !== '').join('-');
  const cut = stem.slice(0, MAX_STEM).replace(/-+$/, '');
  return `${cut === '' ? 'figure' : cut}.${format}`;
}
