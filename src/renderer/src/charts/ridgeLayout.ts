/**
 * The paper's ridge plots (Figs 1, 2, 6): the histogram of one unit's pre-activations at each probed
 * step, drawn as a ridge line whose baseline sits at that step, so the y axis reads as training time
 * and the x axis as the activation value.
 *
 * Each ridge is the histogram as a density (count / (total x bin width)), outlined as steps over its
 * bin edges (a histogram, not a smoothed curve) and scaled so its peak rises `overlap` times the
 * typical gap between neighbouring ridges: shapes stay comparable while ridges overlap a little, as in
 * the paper. With more probed steps than `maxRidges`, evenly spaced ones are shown, the first and
 * the last always among them (the chart says how many of how many).
 */

export interface Histogram {
  step: number;
  /** bins + 1 increasing edges. */
  edges: readonly number[];
  counts: readonly number[];
}

export interface Ridge {
  step: number;
  /** y of the baseline (the step). */
  baseline: number;
  /** The closed outline, [x, y] from the left end of the baseline round to its right end. */
  outline: [number, number][];
}

export interface RidgeLayout {
  /** In drawing order: the latest step first, so earlier (lower) ridges are drawn over it. */
  ridges: Ridge[];
  shown: number;
  total: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface RidgeOptions {
  maxRidges?: number;
  /** Peak height in units of the median gap between ridges. */
  overlap?: number;
}

/** Indices of `count` items, at most `max` of them, evenly spaced, first and last included. */
export function evenlySpaced(count: number, max: number): number[] {
  if (count <= 0) return [];
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  if (max <= 1) return [count - 1];
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (count - 1)) / (max - 1)));
  return [...out].sort((a, b) => a - b);
}

function usable(h: Histogram): boolean {
  return (
    h.counts.length > 0 &&
    h.edges.length === h.counts.length + 1 &&
    h.edges.every(Number.isFinite) &&
    h.counts.every((c) => Number.isFinite(c) && c >= 0) &&
    h.counts.some((c) => c > 0)
  );
}

export function layoutRidges(histograms: readonly Histogram[], options: RidgeOptions = {}): RidgeLayout {
  const maxRidges = options.maxRidges ?? 40;
  const overlap = options.overlap ?? 1.6;
  const all = [...histograms].filter(usable).sort((a, b) => a.step - b.step);
  const picked = evenlySpaced(all.length, maxRidges).map((i) => all[i] as Histogram);
  const empty: RidgeLayout = { ridges: [], shown: 0, total: all.length, xMin: 0, xMax: 1, yMin: 0, yMax: 1 };
  if (picked.length === 0) return empty;

  const gaps = picked.slice(1).map((h, i) => h.step - (picked[i] as Histogram).step);
  gaps.sort((a, b) => a - b);
  const gap = gaps.length > 0 ? (gaps[Math.floor(gaps.length / 2)] as number) : 1;
  const height = overlap * Math.max(gap, 1);

  let xMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;
  const ridges: Ridge[] = picked.map((h) => {
    const total = h.counts.reduce((a, b) => a + b, 0);
    const density = h.counts.map((c, b) => {
      const width = (h.edges[b + 1] as number) - (h.edges[b] as number);
      return width > 0 ? c / (total * width) : 0;
    });
    const peak = Math.max(...density);
    const scale = peak > 0 ? height / peak : 0;
    const base = h.step;
    const outline: [number, number][] = [[h.edges[0] as number, base]];
    density.forEach((d, b) => {
      const y = base + d * scale;
      outline.push([h.edges[b] as number, y], [h.edges[b + 1] as number, y]);
    });
    outline.push([h.edges[h.edges.length - 1] as number, base]);
    xMin = Math.min(xMin, h.edges[0] as number);
    xMax = Math.max(xMax, h.edges[h.edges.length - 1] as number);
    yMax = Math.max(yMax, base + height);
    return { step: h.step, baseline: base, outline };
  });
  return {
    ridges: ridges.reverse(),
    shown: picked.length,
    total: all.length,
    xMin,
    xMax,
    yMin: (picked[0] as Histogram).step,
    yMax,
  };
}
