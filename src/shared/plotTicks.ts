/**
 * Axis tick labels of figures: compact where long (12k, 3e-4), else as many digits as neighbouring
 * ticks need to differ (1.665, 1.67), without float noise (0.30000000000000004 is 0.3).
 */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 && a < 1e6 && Number.isInteger(v / 100)) return `${v / 1000}k`;
  if (a >= 1e6 || a < 1e-3) return Number(v.toPrecision(3)).toExponential().replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}
