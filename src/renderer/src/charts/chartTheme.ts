/**
 * The chart colours of the current theme, resolved from styles/theme.css's custom properties
 * (ECharts draws on a canvas and needs colours, not var()). Read again when the theme changes.
 */
import { cssVar } from '../styles/cssVar';

export interface ChartTheme {
  fg: string;
  muted: string;
  axis: string;
  grid: string;
  panel: string;
  danger: string;
  series: string[];
  font: string;
}

export const FALLBACK_THEME: ChartTheme = {
  fg: '#1c2330',
  muted: '#556070',
  axis: '#6b7585',
  grid: '#e6e9ee',
  panel: '#ffffff',
  danger: '#c22f2f',
  series: ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#8a7a00', '#000000'],
  font: 'system-ui, sans-serif',
};

export function readChartTheme(): ChartTheme {
  if (typeof document === 'undefined') return FALLBACK_THEME;
  const or = (value: string, fallback: string): string => (value === '' ? fallback : value);
  const series = FALLBACK_THEME.series.map((c, i) => or(cssVar(`--nl-series-${i + 1}`), c));
  return {
    fg: or(cssVar('--nl-fg'), FALLBACK_THEME.fg),
    muted: or(cssVar('--nl-fg-muted'), FALLBACK_THEME.muted),
    axis: or(cssVar('--nl-chart-axis'), FALLBACK_THEME.axis),
    grid: or(cssVar('--nl-chart-grid'), FALLBACK_THEME.grid),
    panel: or(cssVar('--nl-bg-panel'), FALLBACK_THEME.panel),
    danger: or(cssVar('--nl-status-diverged'), FALLBACK_THEME.danger),
    series,
    font: or(cssVar('--nl-font'), FALLBACK_THEME.font),
  };
}

/** `color` at `alpha` opacity (for envelopes and faint raw lines), from #rgb/#rrggbb or rgb(). */
export function withAlpha(color: string, alpha: number): string {
  const hex = color.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (hex) {
    const h = (hex[1] as string).length === 3 ? [...(hex[1] as string)].map((c) => c + c).join('') : hex[1];
    const n = parseInt(h as string, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = color.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}
