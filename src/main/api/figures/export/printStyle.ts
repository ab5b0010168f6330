/**
 * The print look of exported figures: white background, the Okabe-Ito colour-blind-safe palette,
 * black text in DejaVu Sans (the font the PNG and PDF exports load and embed) and font sizes in points
 * chosen for the printed figure width. Sizes are converted to CSS pixels (96 per inch) because the SVG
 * is laid out in pixels and the PDF maps one SVG pixel to 0.75 pt, so an 8 pt label prints at 8 pt.
 */
import type { EChartsOption } from 'echarts';

/** Common journal figure widths: one column is 3.3 in, two columns 7 in. */
export const FIGURE_WIDTH_MM = { oneColumn: 3.3 * 25.4, twoColumn: 7 * 25.4 } as const;

export const MM_PER_INCH = 25.4;
/** CSS pixels per inch: the unit of ECharts' SVG and of resvg's "original" size. */
export const CSS_PX_PER_INCH = 96;
export const PT_PER_INCH = 72;

/** The family the exports render and embed; the SVG names it so that every text element resolves. */
export const PRINT_FONT_FAMILY = 'DejaVu Sans';

/**
 * Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies. Ordered for lines
 * on white: the strong blue and vermillion first, the pale yellow (hard to see on white) last but one.
 */
export const OKABE_ITO: readonly string[] = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#F0E442', // yellow
  '#000000', // black
];

export interface PrintFontSizesPt {
  /** Tick labels and legend entries. */
  tick: number;
  /** Axis names. */
  axisName: number;
  /** Panel titles. */
  title: number;
}

/**
 * Font sizes for a figure printed at widthMm: journals ask for 7-9 pt in a one-column figure; a
 * two-column figure is read from further away relative to its size, so one point more.
 */
export function printFontSizesPt(widthMm: number): PrintFontSizesPt {
  return widthMm <= 100 ? { tick: 7, axisName: 8, title: 9 } : { tick: 8, axisName: 9, title: 10 };
}

export function ptToPx(pt: number): number {
  return (pt * CSS_PX_PER_INCH) / PT_PER_INCH;
}

export function mmToPx(mm: number): number {
  return (mm * CSS_PX_PER_INCH) / MM_PER_INCH;
}

export function mmToPt(mm: number): number {
  return (mm * PT_PER_INCH) / MM_PER_INCH;
}

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
  const pt = printFontSizesPt(widthMm);
  const text = { fontFamily: PRINT_FONT_FAMILY, color: '#000000' };
  const axis = {
    axisLabel: { ...text, fontSize: ptToPx(pt.tick) },
    nameTextStyle: { ...text, fontSize: ptToPx(pt.axisName) },
    axisLine: { lineStyle: { color: '#000000', width: ptToPx(0.5) } },
    axisTick: { lineStyle: { color: '#000000', width: ptToPx(0.5) } },
    splitLine: { lineStyle: { color: '#dddddd', width: ptToPx(0.4) } },
  };
  return {
    base: {
      animation: false,
      backgroundColor: '#ffffff',
      color: [...OKABE_ITO],
      textStyle: { ...text, fontSize: ptToPx(pt.tick) },
    },
    components: {
      title: { textStyle: { ...text, fontSize: ptToPx(pt.title), fontWeight: 'bold' } },
      legend: { textStyle: { ...text, fontSize: ptToPx(pt.tick) } },
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
  const lineStyle = { width: ptToPx(1) };
  const series = styled.series;
  if (series !== undefined) {
    const withLine = (s: unknown): unknown =>
      isObj(s) && s['type'] === 'line' ? merge({ lineStyle }, s) : s;
    // The cast restores ECharts' series union, which the per-element merge keeps but cannot name.
    styled.series = (Array.isArray(series) ? series.map(withLine) : withLine(series)) as typeof series;
  }
  return styled;
}
