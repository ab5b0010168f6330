/**
 * Figure export in the main process: a chart option to SVG (ECharts' server-side renderer), and SVG
 * to PNG (resvg) and PDF (pdfkit + svg-to-pdfkit), in print style at a printed size.
 */
export {
  FIGURE_WIDTH_MM,
  OKABE_ITO,
  PRINT_FONT_FAMILY,
  applyPrintStyle,
  figureSizePx,
  mmToPt,
  mmToPx,
  printFontSizesPt,
  printStyle,
  ptToPx,
  type PrintFontSizesPt,
} from './printStyle';
export { renderSvg, withFiniteData, type SvgSize } from './renderSvg';
export { pngWidthPx, svgToPng, type PngOptions } from './svgToPng';
export { svgToPdf, type PdfOptions } from './svgToPdf';
export { findFigureFont, type FigureFont } from './fonts';
