/**
 * Printed sizes and the CSS pixels figures are laid out in. ECharts' SVG and resvg's "original" size
 * are in CSS pixels (96 per inch); the PDF maps one SVG pixel to 0.75 pt, so a size given here in
 * points prints at that size.
 */

export const MM_PER_INCH = 25.4;
/** CSS pixels per inch: the unit of ECharts' SVG and of resvg's "original" size. */
export const CSS_PX_PER_INCH = 96;
export const PT_PER_INCH = 72;

export function ptToPx(pt: number): number {
  return (pt * CSS_PX_PER_INCH) / PT_PER_INCH;
}

export function mmToPx(mm: number): number {
  return (mm * CSS_PX_PER_INCH) / MM_PER_INCH;
}

export function mmToPt(mm: number): number {
  return (mm * PT_PER_INCH) / MM_PER_INCH;
}

/** A PNG's pixel width: the printed width in inches times the DPI (the export and its dialog). */
export function pngWidthPx(widthMm: number, dpi: number): number {
  return Math.round((widthMm / MM_PER_INCH) * dpi);
}
