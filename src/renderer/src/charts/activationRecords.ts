/**
 * The activation probe's records (src/main/engine/probes/activations.ts) grouped per layer: each
 * record of step k and layer i holds the probed unit, the histogram's bin edges and counts, mean and
 * variance; a record with `error` (a diverged step) has no histogram and is left out.
 */
import type { Histogram } from './ridgeLayout';

export interface LayerHistograms {
  layer: number;
  /** The probed unit (fixed for the run; the latest record's). */
  unit: number | null;
  histograms: Histogram[];
}

function numbers(v: unknown): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
}

export function histogramsByLayer(
  records: readonly { step: number; data: Record<string, unknown> }[],
): LayerHistograms[] {
  const layers = new Map<number, LayerHistograms>();
  for (const r of records) {
    const d = r.data;
    if (typeof d.layer !== 'number') continue;
    const entry = layers.get(d.layer) ?? { layer: d.layer, unit: null, histograms: [] };
    layers.set(d.layer, entry);
    if (typeof d.unit === 'number') entry.unit = d.unit;
    const edges = numbers(d.edges);
    const counts = numbers(d.counts);
    if (d.error !== undefined || edges === null || counts === null) continue;
    entry.histograms.push({ step: r.step, edges, counts });
  }
  return [...layers.values()].sort((a, b) => a.layer - b.layer);
}
