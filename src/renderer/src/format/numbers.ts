/** How numbers read in tables and cards: metrics, learning rates, sizes, counts. */

/** A metric value: 4 significant digits, NaN/Infinity as such, null as an em dash. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** An accuracy in [0, 1] as a percentage. */
export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

/** A learning rate as written in papers: 0.1, 1e-6. */
export function formatLr(v: number): string {
  if (v >= 1e-3 && v < 1e4) return Number(v.toPrecision(4)).toString();
  const [m, e] = v.toExponential().split('e');
  const mantissa = Number(Number(m).toPrecision(3));
  return `${mantissa === 1 ? '1' : mantissa}e${Number(e)}`;
}

export function formatCount(v: number): string {
  return v.toLocaleString('en-US');
}

export function formatBytes(v: number): string {
  if (v < 1024) return `${v} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x < 10 ? x.toFixed(1) : Math.round(x)} ${units[i]}`;
}

/** Parses "0.1, 1e-3 0.01" into numbers; names the first token that is not one. */
export function parseNumberList(text: string): { values: number[]; bad: string | null } {
  const tokens = text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const values: number[] = [];
  for (const t of tokens) {
    const v = Number(t);
    if (!Number.isFinite(v)) return { values, bad: t };
    values.push(v);
  }
  return { values, bad: null };
}
