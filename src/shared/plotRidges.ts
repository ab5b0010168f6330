/**
 * The geometry of a ridge panel (the paper's activation histograms, Figs 1, 2, 6): one ridge per
 * logged step, stacked in rows. Like the paper's (TensorBoard-style offset) histograms, the earliest
 * step is at the back, on the top row, and each later step one row lower and in front, so the y axis
 * reads as training time downwards and the x axis as the unit's value.
 *
 * Each ridge is the histogram as a density (count / (total x bin width), so rows with different bins
 * compare), outlined as steps over its bin edges (a histogram, not a smoothed curve). Heights are
 * scaled by the panel's highest density to RIDGE_HEIGHT rows: shapes and sizes compare across steps
 * and neighbouring ridges overlap a little.
 */
import type { RidgeRow } from './plots';

/** The tallest ridge of a panel, in rows. */
export const RIDGE_HEIGHT = 1.5;

export interface Ridge {
  step: number;
  /** 0 = the earliest step (back, top row). */
  index: number;
  /** y of the baseline, in rows: the earliest at n - 1, the latest at 0. */
  baseline: number;
  /** The closed outline: [edge0, baseline], the steps over the bins, [last edge, baseline]. */
  outline: [number, number][];
  xMin: number;
  xMax: number;
  top: number;
}

function usable(row: RidgeRow): boolean {
  return (
    row.counts.length > 0 &&
    row.edges.length === row.counts.length + 1 &&
    row.edges.every(Number.isFinite) &&
    row.counts.every(Number.isFinite)
  );
}

function densities(row: RidgeRow): number[] {
  const total = row.counts.reduce((a, b) => a + b, 0);
  return row.counts.map((c, b) => {
    const width = (row.edges[b + 1] as number) - (row.edges[b] as number);
    return total > 0 && width > 0 ? c / (total * width) : 0;
  });
}

/** The ridges of a panel, earliest first (the drawing order: later ridges cover earlier ones). */
export function ridgeGeometry(rows: readonly RidgeRow[]): Ridge[] {
  const sorted = rows.filter(usable).sort((a, b) => a.step - b.step);
  const dens = sorted.map(densities);
  let peak = 0;
  for (const d of dens) for (const v of d) peak = Math.max(peak, v);
  const scale = peak > 0 ? RIDGE_HEIGHT / peak : 0;
  const n = sorted.length;
  return sorted.map((row, index) => {
    const baseline = n - 1 - index;
    const d = dens[index] as number[];
    const edges = row.edges;
    const outline: [number, number][] = [[edges[0] as number, baseline]];
    let top = baseline;
    d.forEach((v, b) => {
      const y = baseline + v * scale;
      top = Math.max(top, y);
      outline.push([edges[b] as number, y], [edges[b + 1] as number, y]);
    });
    outline.push([edges[edges.length - 1] as number, baseline]);
    return {
      step: row.step,
      index,
      baseline,
      outline,
      xMin: edges[0] as number,
      xMax: edges[edges.length - 1] as number,
      top,
    };
  });
}
