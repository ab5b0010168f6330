import { describe, expect, it } from 'vitest';
import { exportSizeSchema, FIGURE_WIDTH_MM } from '../../../src/shared/plots';
import {
  defaultExportSettings,
  exportSize,
  pngPixels,
  settingsProblem,
  widthMm,
  type ExportSettings,
} from '../../../src/renderer/src/components/figures/exportSettings';

const with_ = (patch: Partial<ExportSettings>): ExportSettings => ({ ...defaultExportSettings(), ...patch });

describe('the export settings', () => {
  it('default to an SVG two columns wide, automatic height, 300 DPI', () => {
    expect(defaultExportSettings()).toEqual({
      format: 'svg',
      width: 'twoColumn',
      widthMm: FIGURE_WIDTH_MM.twoColumn,
      heightMm: null,
      dpi: 300,
    });
  });

  it('send the journal widths exactly and a custom width to 0.1 mm', () => {
    expect(exportSize(with_({ width: 'oneColumn' }))).toEqual({
      widthMm: FIGURE_WIDTH_MM.oneColumn,
      dpi: 300,
    });
    expect(exportSize(with_({ width: 'custom', widthMm: 120.04, heightMm: 60.06, dpi: 150 }))).toEqual({
      widthMm: 120,
      heightMm: 60.1,
      dpi: 150,
    });
    expect(widthMm(with_({ width: 'twoColumn', widthMm: 50 }))).toBe(FIGURE_WIDTH_MM.twoColumn);
  });

  it('are valid for figures.export whenever the dialog finds no problem', () => {
    for (const s of [
      with_({}),
      with_({ format: 'png', dpi: 36 }),
      with_({ format: 'pdf', width: 'custom', widthMm: 20, heightMm: 600 }),
    ]) {
      expect(settingsProblem(s)).toBeNull();
      expect(() => exportSizeSchema.parse(exportSize(s))).not.toThrow();
    }
  });

  it('say what to change when a size or the DPI is out of range', () => {
    expect(settingsProblem(with_({ width: 'custom', widthMm: 10 }))).toMatch(/width must be 20 to 600 mm/);
    expect(settingsProblem(with_({ width: 'custom', widthMm: Number.NaN }))).toMatch(/width/);
    expect(settingsProblem(with_({ heightMm: 700 }))).toMatch(/height must be 20 to 600 mm, or empty/);
    expect(settingsProblem(with_({ format: 'png', dpi: 72.5 }))).toMatch(
      /DPI must be a whole number from 36/,
    );
    expect(settingsProblem(with_({ format: 'png', dpi: 5000 }))).toMatch(/DPI/);
  });

  it('ignore the size for the data formats', () => {
    expect(settingsProblem(with_({ format: 'csv', width: 'custom', widthMm: 1, dpi: 0 }))).toBeNull();
  });

  it('tell the PNG width in pixels as the exporter computes it (mm / 25.4 * dpi)', () => {
    expect(pngPixels(FIGURE_WIDTH_MM.twoColumn, 300)).toBe(2100);
    expect(pngPixels(FIGURE_WIDTH_MM.oneColumn, 150)).toBe(495);
  });
});
