/**
 * A figure as a file, in the main process (`figures.export`, the CLI's `normlab figure` / `compare`).
 * The figure is built for the export's own width: each panel is read at about one bucket per CSS
 * pixel of its printed width (figure width / columns), so a million-point series becomes a few
 * hundred vertices in the SVG, as many as the print can show. SVG, PDF and PNG draw it with the same
 * chart option as the window (shared/plotOption.ts) in the print look (white, Okabe-Ito, DejaVu Sans
 * at point sizes for the printed width), with the caption; CSV and JSON hold the plotted numbers.
 */
import { UserError } from '../../../shared/errors';
import type { ExportFormat, ExportSize, FigureFile, FigureSpec, PlotFigure } from '../../../shared/plots';
import { figureHeightPx, plotOption } from '../../../shared/plotOption';
import { printLook } from '../../../shared/plotLook';
import { CSS_PX_PER_INCH, MM_PER_INCH, mmToPx } from '../../../shared/printUnits';
import type { FigureContext } from './compareRuns';
import { specColumns } from '../../../shared/figureTemplates';
import { buildFigure } from './buildFigure';
import { pngWidthPx, renderSvg, svgToPdf, svgToPng } from './export';
import { figureCsv } from './figureCsv';
import { FIGURE_MIME, figureFileName } from './figureFileName';
import { figureJson, type ResolvedSize } from './figureJson';

/** A built figure, drawn at its printed size. */
export interface RenderedFigure {
  figure: PlotFigure;
  size: ResolvedSize;
  widthPx: number;
  heightPx: number;
}

/**
 * The largest PNG rendered: resvg holds the whole RGBA image in memory (4 bytes a pixel), so a
 * 600 mm figure at 2400 DPI (~57,000 px wide) would need gigabytes. 120 megapixels is a two-column
 * figure at well over 1200 DPI.
 */
export const MAX_PNG_PIXELS = 120_000_000;

/** Exports carry the caption (runs, smoothing, the paper's source) and the panels' notes. */
const PRINT_OPTIONS = { caption: true } as const;

function pxToMm(px: number): number {
  return (px * MM_PER_INCH) / CSS_PX_PER_INCH;
}

/** The figure read for the export's width, and its printed size (the height from its rows by default). */
export function exportedFigure(ctx: FigureContext, spec: FigureSpec, size: ExportSize): RenderedFigure {
  const widthPx = Math.round(mmToPx(size.widthMm));
  const panelWidthPx = Math.max(50, Math.floor(widthPx / specColumns(spec)));
  const figure = buildFigure(ctx, spec, panelWidthPx);
  const heightPx =
    size.heightMm !== undefined
      ? Math.round(mmToPx(size.heightMm))
      : figureHeightPx(figure, widthPx, printLook(size.widthMm), PRINT_OPTIONS);
  const heightMm = size.heightMm ?? pxToMm(heightPx);
  return { figure, size: { widthMm: size.widthMm, heightMm, dpi: size.dpi }, widthPx, heightPx };
}

/** The SVG document of a built figure in the print look, with its caption (plotOption applies the look). */
export function figureSvg(rendered: RenderedFigure): string {
  const { figure, size, widthPx, heightPx } = rendered;
  const option = plotOption(
    figure,
    printLook(size.widthMm),
    { width: widthPx, height: heightPx },
    PRINT_OPTIONS,
  );
  return renderSvg(option, { widthPx, heightPx });
}

function checkPngSize({ size, widthPx, heightPx }: RenderedFigure): void {
  const width = pngWidthPx(size.widthMm, size.dpi);
  const height = Math.round((width * heightPx) / widthPx);
  if (width * height <= MAX_PNG_PIXELS) return;
  throw new UserError(
    'usage',
    `a PNG of ${width} x ${height} px (${size.widthMm.toFixed(1)} mm at ${size.dpi} dpi) is more than the ` +
      `${MAX_PNG_PIXELS / 1e6} megapixels NormLab renders: lower the DPI or the size, or export SVG or PDF (vector)`,
  );
}

async function content(rendered: RenderedFigure, spec: FigureSpec, format: ExportFormat): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return Buffer.from(figureCsv(rendered.figure), 'utf8');
    case 'json':
      return Buffer.from(figureJson(spec, rendered.size, rendered.figure), 'utf8');
    case 'svg':
      return Buffer.from(figureSvg(rendered), 'utf8');
    case 'png':
      checkPngSize(rendered);
      return svgToPng(figureSvg(rendered), { widthMm: rendered.size.widthMm, dpi: rendered.size.dpi });
    case 'pdf':
      return svgToPdf(figureSvg(rendered), {
        widthMm: rendered.size.widthMm,
        heightMm: rendered.size.heightMm,
      });
  }
}

export async function exportFigure(
  ctx: FigureContext,
  spec: FigureSpec,
  format: ExportFormat,
  size: ExportSize,
): Promise<FigureFile> {
  const bytes = await content(exportedFigure(ctx, spec, size), spec, format);
  return {
    fileName: figureFileName(spec, format),
    mime: FIGURE_MIME[format],
    bytes: bytes.length,
    base64: bytes.toString('base64'),
  };
}
