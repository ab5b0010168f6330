/** Whole numbers with thousands separators (1,234,567), with one formatter made once: fast enough to call on every chart update. */
const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInt(v: number): string {
  return Number.isFinite(v) ? grouping.format(v) : String(v);
}
