/**
 * A template's step-x line panels: a stored series (one line per slot, seriesLines.ts), or the band
 * between two stored series (Fig 4's loss and gradient-predictiveness ranges: the lo and hi series
 * read over the same step range, so their buckets line up, as one line with y all NaN and the band),
 * with the paper's curves over them where figures.json has them.
 */
import type { BandPanel, MetricPanel } from '../../../shared/figureTemplates';
import { slotTitle } from '../../../shared/figureTemplates';
import type { BandKind, PlotLine, PlotPanel } from '../../../shared/plots';
import type { FigureContext } from './compareRuns';
import { paperLines } from './paperCurves';
import { seriesLines, type LineGroup, type SeriesLinesResult } from './seriesLines';
import { noRunsNote, type FilledSlot } from './templateSlots';

export interface LineOptions {
  widthPx: number;
  band: BandKind;
  smoothing: number;
  /** The zoom, in steps. */
  range?: [number, number] | undefined;
  /** Overlay the paper's curves. */
  paper: boolean;
}

/** The slots with runs as seriesLines groups; a slot's colour is its position among `slots`. */
function groupsOf(slots: readonly FilledSlot[], notes: string[]): LineGroup[] {
  return slots.flatMap((slot, color) => {
    if (slot.runIds.length === 0) {
      notes.push(noRunsNote(slot));
      return [];
    }
    return [{ key: slot.label, label: slotTitle(slot.label), color, runIds: slot.runIds }];
  });
}

/** The step range covering every point of `series` in the groups' runs, or undefined if none. */
function wholeRange(
  ctx: FigureContext,
  groups: readonly LineGroup[],
  series: readonly string[],
): [number, number] | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const runId of new Set(groups.flatMap((g) => g.runIds))) {
    for (const s of ctx.store.listSeriesStats(runId)) {
      if (!series.includes(s.name)) continue;
      from = Math.min(from, s.firstStep);
      to = Math.max(to, s.lastStep);
    }
  }
  return from <= to ? [from, to] : undefined;
}

/**
 * The paper's curves of the panel, shown over the zoom, or, without one, up to where the panel's
 * runs end (a run of 2k steps is set against the paper's first 2k steps, not its 15k).
 */
function withPaper(
  def: MetricPanel | BandPanel,
  slots: readonly FilledSlot[],
  lines: PlotLine[],
  notes: string[],
  options: LineOptions,
): PlotLine[] {
  if (!options.paper || !def.paper) return lines;
  const ends = lines.flatMap((l) => l.x.filter(Number.isFinite));
  const range: [number, number] | undefined =
    options.range ?? (ends.length > 0 ? [Number.NEGATIVE_INFINITY, Math.max(...ends)] : undefined);
  const labels = slots.map((s) => s.label);
  const paper = paperLines(def.paper, labels, range);
  const whole = paperLines(def.paper, labels);
  const cut = paper.some((p, k) => p.x.length < (whole[k]?.x.length ?? 0));
  if (cut && !options.range && range) notes.push(`paper curves up to step ${range[1]}, where the runs end`);
  // A curve cut down to one point would be a lone dot that reads as a stray mark: left out.
  return [...lines, ...paper.filter((p) => p.x.length >= 2)];
}

function linesPanel(
  def: MetricPanel | BandPanel,
  lines: PlotLine[],
  result: Pick<SeriesLinesResult, 'notes' | 'sampling' | 'xLabel'>,
  options: LineOptions,
): PlotPanel {
  return {
    key: def.key,
    title: def.title,
    kind: 'lines',
    xKind: 'step',
    xLabel: result.xLabel,
    yLabel: def.yLabel,
    xScale: 'linear',
    yScale: def.yScale,
    palette: 'categorical',
    lines,
    ridges: [],
    notes: result.notes,
    sampling: result.sampling,
    xRange: options.range ?? null,
  };
}

export function metricPanel(
  ctx: FigureContext,
  def: MetricPanel,
  slots: readonly FilledSlot[],
  options: LineOptions,
): PlotPanel {
  const notes: string[] = [];
  const groups = groupsOf(slots, notes);
  const result = seriesLines(ctx, groups, def.series, {
    x: 'step',
    ...(options.range ? { range: options.range } : {}),
    widthPx: options.widthPx,
    band: options.band,
    smoothing: options.smoothing,
  });
  notes.push(...result.notes);
  const lines = withPaper(def, slots, result.lines, notes, options);
  return linesPanel(def, lines, { ...result, notes }, options);
}

/** y of `line` at each of `steps` (NaN where the line has no point at that step). */
function yAt(line: PlotLine | undefined, steps: readonly number[]): number[] {
  const byStep = new Map<number, number>();
  line?.steps.forEach((s, i) => byStep.set(s, line.y[i] as number));
  return steps.map((s) => byStep.get(s) ?? Number.NaN);
}

export function bandPanel(
  ctx: FigureContext,
  def: BandPanel,
  slots: readonly FilledSlot[],
  options: LineOptions,
): PlotPanel {
  const notes: string[] = [];
  const groups = groupsOf(slots, notes);
  const range = options.range ?? wholeRange(ctx, groups, [def.lo, def.hi]);
  const read = (series: string): SeriesLinesResult =>
    seriesLines(ctx, groups, series, {
      x: 'step',
      ...(range ? { range } : {}),
      widthPx: options.widthPx,
      band: options.band,
      smoothing: options.smoothing,
    });
  const lo = read(def.lo);
  const hi = read(def.hi);
  const lines: PlotLine[] = [];
  for (const group of groups) {
    const loLine = lo.lines.find((l) => l.key === group.key && l.role === 'line');
    const hiLine = hi.lines.find((l) => l.key === group.key && l.role === 'line');
    const base = loLine ?? hiLine;
    if (!base) continue;
    // The lo and hi reads share their buckets; a step only one of them has (a non-finite grad
    // change at a step with a finite loss) is a gap in the other.
    const steps = [...new Set([...(loLine?.steps ?? []), ...(hiLine?.steps ?? [])])].sort((a, b) => a - b);
    const line: PlotLine = {
      key: group.key,
      label: base.label,
      role: 'line',
      color: group.color,
      runIds: base.runIds,
      steps,
      // x is the step: template panels draw against steps.
      x: steps,
      y: steps.map(() => Number.NaN),
      band: { lo: yAt(loLine, steps), hi: yAt(hiLine, steps) },
    };
    if (base.end) line.end = base.end;
    lines.push(line);
  }
  notes.push(...new Set([...lo.notes, ...hi.notes]));
  return linesPanel(
    def,
    withPaper(def, slots, lines, notes, options),
    {
      notes,
      sampling: {
        stored: lo.sampling.stored + hi.sampling.stored,
        drawn: lo.sampling.drawn + hi.sampling.drawn,
      },
      xLabel: lo.xLabel,
    },
    options,
  );
}
