/**
 * The export dialog's choices and what they send to `figures.export`: the format, the printed width
 * (one column 3.3 in, two columns 7 in, or any width in mm), the height (automatic from the figure's
 * rows unless given) and the PNG's DPI. The last choices are kept for the session: exporting the same
 * figure in a second format should not mean setting the size again.
 */
import {
  EXPORT_FORMATS,
  FIGURE_WIDTH_MM,
  type ExportFormat,
  type ExportSize,
} from '../../../../shared/plots';

export type WidthChoice = 'oneColumn' | 'twoColumn' | 'custom';

export interface ExportSettings {
  format: ExportFormat;
  width: WidthChoice;
  /** The custom width, mm (used when width is 'custom'). */
  widthMm: number;
  /** Null: automatic. */
  heightMm: number | null;
  dpi: number;
}

/** The contract's limits (shared/plots.ts exportSizeSchema). */
export const SIZE_MM = { min: 20, max: 600 } as const;
export const DPI = { min: 36, max: 2400 } as const;

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  svg: 'SVG',
  pdf: 'PDF',
  png: 'PNG',
  csv: 'CSV',
  json: 'JSON',
};

export const FORMAT_HINTS: Record<ExportFormat, string> = {
  svg: 'vector, text as text',
  pdf: 'vector, fonts embedded',
  png: 'image at the DPI',
  csv: 'the plotted numbers, one row per point',
  json: 'the figure as data, with its spec',
};

export function defaultExportSettings(): ExportSettings {
  return { format: 'svg', width: 'twoColumn', widthMm: FIGURE_WIDTH_MM.twoColumn, heightMm: null, dpi: 300 };
}

/** The printed width the choice stands for, mm. */
export function widthMm(s: Pick<ExportSettings, 'width' | 'widthMm'>): number {
  if (s.width === 'oneColumn') return FIGURE_WIDTH_MM.oneColumn;
  if (s.width === 'twoColumn') return FIGURE_WIDTH_MM.twoColumn;
  return s.widthMm;
}

/** Whether the format has a printed size at all (CSV and JSON are the data). */
export function hasSize(format: ExportFormat): boolean {
  return format === 'svg' || format === 'pdf' || format === 'png';
}

/** What is wrong with the settings, said so that the user knows what to change; null when fine. */
export function settingsProblem(s: ExportSettings): string | null {
  if (!(EXPORT_FORMATS as readonly string[]).includes(s.format)) return `Choose a format.`;
  if (!hasSize(s.format)) return null;
  const w = widthMm(s);
  if (!Number.isFinite(w) || w < SIZE_MM.min || w > SIZE_MM.max) {
    return `The width must be ${SIZE_MM.min} to ${SIZE_MM.max} mm.`;
  }
  if (
    s.heightMm !== null &&
    (!Number.isFinite(s.heightMm) || s.heightMm < SIZE_MM.min || s.heightMm > SIZE_MM.max)
  ) {
    return `The height must be ${SIZE_MM.min} to ${SIZE_MM.max} mm, or empty for automatic.`;
  }
  if (s.format === 'png' && (!Number.isInteger(s.dpi) || s.dpi < DPI.min || s.dpi > DPI.max)) {
    return `The DPI must be a whole number from ${DPI.min} to ${DPI.max}.`;
  }
  return null;
}

/** The size sent with the export (mm rounded to 0.1, as the printed size is given). */
export function exportSize(s: ExportSettings): ExportSize {
  const round = (mm: number): number => Math.round(mm * 10) / 10;
  return {
    widthMm: s.width === 'custom' ? round(s.widthMm) : widthMm(s),
    ...(s.heightMm !== null ? { heightMm: round(s.heightMm) } : {}),
    dpi: s.dpi,
  };
}

/** PNG pixels for a width in mm at a DPI (what the dialog shows next to the DPI): the export's own. */
export { pngWidthPx as pngPixels } from '../../../../shared/printUnits';

let remembered: ExportSettings | null = null;

export function rememberedExportSettings(): ExportSettings {
  return { ...(remembered ?? defaultExportSettings()) };
}

export function rememberExportSettings(s: ExportSettings): void {
  remembered = { ...s };
}
