/**
 * Fig 8: how much a layer's probed unit's mean (or variance) changes between logged steps,
 * |x_k - x_{k-1}| at each logged step k after the first (x = probe/activations/layer{i}/{mean,var}).
 * One line per slot; a slot of several runs (seeds) is their mean at each step with a band over
 * them (min..max, or mean +- the population standard deviation), "(n=K)" in the label.
 */
import type { ChangePanel } from '../../../shared/figureTemplates';
import { slotTitle } from '../../../shared/figureTemplates';
import type { BandKind, PlotLine, PlotPanel } from '../../../shared/plots';
import type { FigureContext } from './compareRuns';
import { noRunsNote, type FilledSlot } from './templateSlots';

/** |x_k - x_{k-1}| at the steps after the first, as a map step -> change. */
export function changesOf(steps: ArrayLike<number>, values: ArrayLike<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (let k = 1; k < steps.length; k++)
    out.set(steps[k] as number, Math.abs((values[k] as number) - (values[k - 1] as number)));
  return out;
}

interface Spread {
  mean: number;
  lo: number;
  hi: number;
}

/** The mean of the finite values and their band; NaN when none is finite. */
function spread(values: readonly number[], band: BandKind): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  if (band === 'minmax') return { mean, lo: Math.min(...finite), hi: Math.max(...finite) };
  const sd = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length);
  return { mean, lo: mean - sd, hi: mean + sd };
}

export interface ChangeOptions {
  band: BandKind;
  /** Steps shown (inclusive); the change at the first shown step still uses the step before it. */
  range?: readonly [number, number] | undefined;
}

export function activationChangePanel(
  ctx: FigureContext,
  def: ChangePanel,
  slots: readonly FilledSlot[],
  options: ChangeOptions,
): PlotPanel {
  const series = `probe/activations/layer${def.layer}/${def.moment}`;
  const notes: string[] = [];
  const lines: PlotLine[] = [];
  const inRange = (s: number): boolean => !options.range || (s >= options.range[0] && s <= options.range[1]);
  let points = 0;
  let banded = false;
  slots.forEach((slot, color) => {
    if (slot.runIds.length === 0) {
      notes.push(noRunsNote(slot));
      return;
    }
    const perRun: Map<number, number>[] = [];
    for (const runId of slot.runIds) {
      const data = ctx.store.readSeries(runId, series);
      if (data.steps.length === 0) notes.push(`no ${series} in run ${runId}`);
      else perRun.push(changesOf(data.steps, data.values));
    }
    if (perRun.length === 0) return;
    const steps = [...new Set(perRun.flatMap((m) => [...m.keys()]))].filter(inRange).sort((a, b) => a - b);
    const stats = steps.map((s) =>
      spread(
        perRun.flatMap((m) => (m.has(s) ? [m.get(s) as number] : [])),
        options.band,
      ),
    );
    points += steps.length;
    const group = slot.runIds.length > 1;
    banded ||= group;
    lines.push({
      key: slot.label,
      label: group ? `${slotTitle(slot.label)} (n=${slot.runIds.length})` : slotTitle(slot.label),
      role: 'line',
      color,
      runIds: [...slot.runIds],
      steps,
      x: steps,
      y: stats.map((s) => s.mean),
      ...(group ? { band: { lo: stats.map((s) => s.lo), hi: stats.map((s) => s.hi) } } : {}),
    });
  });
  if (banded)
    notes.push(
      options.band === 'std'
        ? "bands: mean -+ one std over a group's runs"
        : "bands: min to max over a group's runs",
    );
  return {
    key: def.key,
    title: def.title,
    kind: 'lines',
    xKind: 'step',
    xLabel: 'step',
    yLabel: def.yLabel,
    xScale: 'linear',
    yScale: 'linear',
    palette: 'categorical',
    lines,
    ridges: [],
    notes,
    sampling: { stored: points, drawn: points },
    xRange: options.range ? [options.range[0], options.range[1]] : null,
  };
}
