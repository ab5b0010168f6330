/**
 * The look the window draws figures in: the live charts' colours (charts/chartTheme.ts reads them
 * from styles/theme.css), so a compare view looks like the run view's charts in light and dark, on
 * top of shared/plotLook.ts' screen sizes. Read again when the theme changes.
 */
import { screenLook, type PlotLook } from '../../../../shared/plotLook';
import type { ChartTheme } from '../../charts/chartTheme';

export function screenPlotLook(theme: ChartTheme, resolved: 'light' | 'dark'): PlotLook {
  const base = screenLook(resolved);
  return {
    ...base,
    background: theme.panel,
    text: theme.fg,
    axis: theme.axis,
    splitLine: theme.grid,
    palette: theme.series.length > 0 ? [...theme.series] : base.palette,
    fontFamily: theme.font,
  };
}

/** A line's colour on screen: its palette slot (the diff table's swatches match the chart). */
export function paletteColor(look: Pick<PlotLook, 'palette'>, slot: number): string {
  const n = look.palette.length;
  return n === 0 ? 'currentColor' : (look.palette[((slot % n) + n) % n] as string);
}
