/**
 * The print look of exported figures (shared/plotLook.ts printLook: white background, the Okabe-Ito
 * colour-blind-safe palette, black text in DejaVu Sans, the font the PNG and PDF exports load and
 * embed, at sizes in points for the printed width) applied to any chart option. Figures built from a
 * PlotFigure get the look from plotOption directly; this styles options written by hand. Sizes are
 * CSS pixels (96 per inch): the SVG is laid out in pixels and the PDF maps one SVG pixel to 0.75 pt,
 * so an 8 pt label prints at 8 pt.
 */
import type { EChartsOption } from 'echarts';

import { FIGURE_WIDTH_MM } from '../../../../shared/plots';
import {
  OKABE_ITO,
  PRINT_FONT_FAMILY,
  printFontSizesPt,
  printLook,
  type PrintFontSizesPt,
} from '../../../../shared/plotLook';
import {
  CSS_PX_PER_INCH,
  MM_PER_INCH,
  PT_PER_INCH,
  mmToPt,
  mmToPx,
  ptToPx,
} from '../../../../shared/printUnits';

// The palette, font, sizes and units live in shared, where plotOption's print look uses them too.
export {
  CSS_PX_PER_INCH,
  FIGURE_WIDTH_MM,
  MM_PER_INCH,
  OKABE_ITO,
  PRINT_FONT_FAMILY,
  PT_PER_INCH,
  mmToPt,
  mmToPx,
  printFontSizesPt,
  ptToPx,
  type PrintFontSizesPt,
};

/** The SVG canvas for a figure of the given printed size, in whole CSS pixels. */
export function figureSizePx(size: { widthMm: number; heightMm: number }): {
  widthPx: number;
  heightPx: number;
} {
  return { widthPx: Math.round(mmToPx(size.widthMm)), heightPx: Math.round(mmToPx(size.heightMm)) };
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep merge of plain objects: `over` wins, nested objects merge, arrays and other values replace.
 * ECharts components may be one object or an array of them; an array in `over` gets `base` merged
 * into each element, so a style written for "every axis" reaches each of a multi-grid figure's axes.
 */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (Array.isArray(over) && isObj(base)) return over.map((item) => merge(base, item));
  if (!isObj(base) || !isObj(over)) return over;
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/**
 * The print style for a figure printed widthMm wide: the top-level look, and the style of each kind of
 * component, which is applied only to components the option has (a style for a legend the option does
 * not have would make ECharts draw one).
 */
export function printStyle(widthMm: number): { base: EChartsOption; components: EChartsOption } {
  const look = printLook(widthMm);
  const text = { fontFamily: look.fontFamily, color: look.text };
  const line = { lineStyle: { color: look.axis, width: look.axisWidth } };
  const axis = {
    axisLabel: { ...text, fontSize: look.fontSize.tick },
    nameTextStyle: { ...text, fontSize: look.fontSize.axisName },
    axisLine: line,
    axisTick: line,
    splitLine: { lineStyle: { color: look.splitLine, width: look.axisWidth * 0.8 } },
  };
  return {
    base: {
      animation: false,
      backgroundColor: look.background,
      color: [...look.palette],
      textStyle: { ...text, fontSize: look.fontSize.tick },
    },
    components: {
      title: { textStyle: { ...text, fontSize: look.fontSize.title, fontWeight: 'bold' } },
      legend: { textStyle: { ...text, fontSize: look.fontSize.tick } },
      xAxis: axis,
      yAxis: axis,
    },
  };
}

/**
 * The option in print style: the style is the base and the option's own settings win, so a template
 * that fixes a colour or a font size keeps it. Line series get 1 pt lines unless they set a width.
 */
export function applyPrintStyle(option: EChartsOption, widthMm: number): EChartsOption {
  const { base, components } = printStyle(widthMm);
  const styled = merge(base, option) as EChartsOption;
  // Both objects are ECharts options; indexing them by component name needs the plain-object view.
  const out = styled as Obj;
  for (const [key, style] of Object.entries(components)) {
    if (out[key] !== undefined) out[key] = merge(style, out[key]);
  }
  const lineStyle = { width: printLook(widthMm).lineWidth };
  const series = styled.series;
  if (series !== undefined) {
    const withLine = (s: unknown): unknown =>
      isObj(s) && s['type'] === 'line' ? merge({ lineStyle }, s) : s;
    // The cast restores ECharts' series union, which the per-element merge keeps but cannot name.
    styled.series = (Array.isArray(series) ? series.map(withLine) : withLine(series)) as typeof series;
  }
  return styled;
}
