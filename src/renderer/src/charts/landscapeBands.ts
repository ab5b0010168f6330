/**
 * Fig 4's three panels from the landscape probe's records (src/main/engine/probes/landscape.ts). A
 * record of step k holds, over the eta grid, L(w - eta g) (`losses`), ||grad L(w - eta g) - g||
 * (`gradChanges`), ||g|| (`gradNorm`) and L(w) (`loss`). Per step:
 *
 *   loss band:               [min_eta, max_eta] of L(w - eta g), with L(w) as the line;
 *   gradient predictiveness: [min_eta, max_eta] of ||grad L(w - eta g) - g||;
 *   effective beta:          max_eta of ||grad L(w - eta g) - g|| / (eta ||g||).
 *
 * As in the probe, a diverged eta (non-finite value) is a result but stays out of the min and max;
 * a quantity with no finite value at a step is null there (a gap).
 */
import type { ChartPoint } from './bucketSeries';

export interface LandscapeRecordLike {
  step: number;
  data: Record<string, unknown>;
}

export interface LandscapeStep {
  step: number;
  loss: number | null;
  lossMin: number | null;
  lossMax: number | null;
  gradChangeMin: number | null;
  gradChangeMax: number | null;
  betaEff: number | null;
  /** Per eta, for the gradient-change-vs-eta view (Fig 11). */
  etas: number[];
  gradChanges: number[];
}

function numbers(v: unknown): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
}

function finiteRange(values: readonly number[]): [number | null, number | null] {
  const f = values.filter(Number.isFinite);
  return f.length === 0 ? [null, null] : [Math.min(...f), Math.max(...f)];
}

/** One record's bands; null when the record is an error or not a landscape record's shape. */
export function landscapeStep(record: LandscapeRecordLike): LandscapeStep | null {
  const d = record.data;
  const etas = numbers(d.etas);
  const losses = numbers(d.losses);
  const gradChanges = numbers(d.gradChanges);
  if (etas === null || losses === null || gradChanges === null) return null;
  if (losses.length !== etas.length || gradChanges.length !== etas.length) return null;
  const gradNorm = typeof d.gradNorm === 'number' ? d.gradNorm : NaN;
  const loss = typeof d.loss === 'number' && Number.isFinite(d.loss) ? d.loss : null;
  const [lossMin, lossMax] = finiteRange(losses);
  const [gradChangeMin, gradChangeMax] = finiteRange(gradChanges);
  const betas = gradChanges.map((c, k) => c / ((etas[k] as number) * gradNorm)).filter(Number.isFinite);
  return {
    step: record.step,
    loss,
    lossMin,
    lossMax,
    gradChangeMin,
    gradChangeMax,
    betaEff: betas.length > 0 ? Math.max(...betas) : null,
    etas,
    gradChanges,
  };
}

/** Every usable record's bands in step order (one per step, the later record kept). */
export function landscapeSteps(records: readonly LandscapeRecordLike[]): LandscapeStep[] {
  const byStep = new Map<number, LandscapeStep>();
  for (const r of records) {
    const s = landscapeStep(r);
    if (s !== null) byStep.set(s.step, s);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

type Field = 'loss' | 'lossMin' | 'lossMax' | 'gradChangeMin' | 'gradChangeMax' | 'betaEff';

/** One quantity as chart points (NaN where it is missing, drawn as a gap). */
export function landscapePoints(steps: readonly LandscapeStep[], field: Field): ChartPoint[] {
  return steps.map((s) => ({ step: s.step, value: s[field] ?? NaN }));
}
