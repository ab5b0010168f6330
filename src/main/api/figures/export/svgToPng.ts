/**
 * SVG to PNG with resvg (a Rust SVG renderer, N-API prebuilt binaries), at a printed width and DPI.
 * Rendered off the main thread (renderAsync) so a large figure does not stall the app's event loop.
 */
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

import { findFigureFont } from './fonts';
import { pngWidthPx } from '../../../../shared/printUnits';
import { PRINT_FONT_FAMILY } from './printStyle';

export interface PngOptions {
  widthMm: number;
  dpi: number;
  /** A TrueType file to draw text with instead of the system's DejaVu Sans. */
  fontFile?: string;
}

export { pngWidthPx };

function fontOptions(fontFile?: string): NonNullable<ResvgRenderOptions['font']> {
  const font = findFigureFont(fontFile);
  // Without the font file, resvg's own system-font scan still finds some sans-serif for the text.
  if (font === null) return { loadSystemFonts: true };
  return {
    // Loading one known file is much faster than scanning the system and renders the same everywhere.
    loadSystemFonts: false,
    fontFiles: font.bold === null ? [font.regular] : [font.regular, font.bold],
    defaultFontFamily: PRINT_FONT_FAMILY,
    sansSerifFamily: PRINT_FONT_FAMILY,
  };
}

export async function svgToPng(svg: string, options: PngOptions): Promise<Buffer> {
  const { widthMm, dpi } = options;
  if (!(widthMm > 0 && dpi > 0) || !Number.isFinite(widthMm * dpi)) {
    throw new Error(`svgToPng: width and DPI must be positive, got ${widthMm} mm at ${dpi} dpi`);
  }
  const rendered = await renderAsync(svg, {
    fitTo: { mode: 'width', value: pngWidthPx(widthMm, dpi) },
    font: fontOptions(options.fontFile),
    logLevel: 'off',
  });
  return rendered.asPng();
}
