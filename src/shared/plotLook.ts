/**
 * The look a figure is drawn in (plotOption.ts): colours, font, sizes. The window passes its theme's
 * colours (from the CSS variables) or screenLook's; exports pass printLook: white, the Okabe-Ito
 * palette, DejaVu Sans (the font the PNG and PDF exports load and embed) at sizes in points for the
 * printed width. Sizes are CSS pixels, the unit of the chart's canvas and of the exported SVG.
 */
import { ptToPx } from './printUnits';

export interface PlotFontSizes {
  /** Tick labels, legend entries, end markers, the caption. */
  tick: number;
  /** Axis names. */
  axisName: number;
  /** Panel titles (the figure's title is one size up). */
  title: number;
}

export interface PlotLook {
  background: string;
  /** Titles, legend, caption. */
  text: string;
  /** Axis lines, ticks and tick labels. */
  axis: string;
  /** Split lines (the grid inside a panel). */
  splitLine: string;
  /** Categorical panels: a line's colour is palette[color % length]. */
  palette: readonly string[];
  /** Sequential panels and ridges: [early, late]; a line's shade (0..1) picks the point between. */
  sequential: readonly [string, string];
  fontFamily: string;
  /** In px. */
  fontSize: PlotFontSizes;
  /** Data lines, px (paper overlays 3/4 of it, raw lines 2/3). */
  lineWidth: number;
  /** Axis lines and ticks, px (split lines 0.8 of it). */
  axisWidth: number;
  /** Of the unsmoothed line under a smoothed one, 0..1. */
  rawOpacity: number;
  /** Of the fill between a band's edges, 0..1. */
  bandOpacity: number;
}

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

/** One hue from light to dark (ColorBrewer's Blues ends): readable in grey and to colour-blind eyes. */
const BLUES_LIGHT_TO_DARK: readonly [string, string] = ['#9ecae1', '#08306b'];

export interface PrintFontSizesPt {
  tick: number;
  axisName: number;
  title: number;
}

/**
 * Font sizes for a figure printed at widthMm: journals ask for 7-9 pt in a one-column figure; a
 * two-column figure is read from further away relative to its size, so one point more.
 */
export function printFontSizesPt(widthMm: number): PrintFontSizesPt {
  return widthMm <= 100 ? { tick: 7, axisName: 8, title: 9 } : { tick: 8, axisName: 9, title: 10 };
}

/** The export look for a figure printed widthMm wide. */
export function printLook(widthMm: number): PlotLook {
  const pt = printFontSizesPt(widthMm);
  return {
    background: '#ffffff',
    text: '#000000',
    axis: '#000000',
    splitLine: '#dddddd',
    palette: OKABE_ITO,
    sequential: BLUES_LIGHT_TO_DARK,
    fontFamily: PRINT_FONT_FAMILY,
    fontSize: { tick: ptToPx(pt.tick), axisName: ptToPx(pt.axisName), title: ptToPx(pt.title) },
    lineWidth: ptToPx(1),
    axisWidth: ptToPx(0.5),
    rawOpacity: 0.3,
    bandOpacity: 0.2,
  };
}

/**
 * The window's look when its CSS variables are not at hand: the values of styles/theme.css (the
 * renderer passes the live ones, so a theme change there needs no change here).
 */
export function screenLook(theme: 'light' | 'dark'): PlotLook {
  const common = {
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    fontSize: { tick: 11, axisName: 11, title: 13 },
    lineWidth: 1.5,
    axisWidth: 1,
  };
  if (theme === 'dark') {
    return {
      ...common,
      background: '#1a1e24',
      text: '#e4e8ee',
      axis: '#9aa3af',
      splitLine: '#262c35',
      palette: ['#56b4e9', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#0072b2', '#f0e442', '#ffffff'],
      // Early steps dim, late ones bright: on a dark ground the latest curves stand out.
      sequential: ['#3d6a99', '#deebf7'],
      rawOpacity: 0.35,
      bandOpacity: 0.25,
    };
  }
  return {
    ...common,
    background: '#ffffff',
    text: '#1c2330',
    axis: '#6b7585',
    splitLine: '#e6e9ee',
    palette: ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#8a7a00', '#000000'],
    sequential: BLUES_LIGHT_TO_DARK,
    rawOpacity: 0.3,
    bandOpacity: 0.22,
  };
}
