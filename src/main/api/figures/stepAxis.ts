/**
 * A run's x axis in a compare figure: from its steps to x (step, epoch or seconds since the run
 * started) and from an x range back to the steps it covers.
 *
 * - step: x = step; the range [a, b] covers steps ceil(a)..floor(b).
 * - epoch: x = step * batchSize / trainSize (epochSize.ts); the range covers the steps whose x is in it.
 * - time: x = (time written - run start) / 1000 s, the time read per step from the stored points; the
 *   run starts at its startedAt (its first start, kept across pauses and resumes), or at its first
 *   point when it never recorded one. The range covers the points written in it (time grows with step,
 *   seriesTimes.ts).
 */
import type { SeriesStats } from '../../../shared/api';
import type { XAxis } from '../../../shared/plots';
import type { RunRecord } from '../../../shared/runTypes';
import type { Store, StepRange } from '../../store';
import { epochSize } from './epochSize';

/** Slack for steps computed back from x in floating point (an x made from step s maps back to s). */
const ROUNDING = 1e-9;

export interface RunAxis {
  /** The steps of the series within the x range (all of it when none), inclusive; undefined if empty. */
  stepRange(range: readonly [number, number] | undefined): StepRange | undefined;
  /** x at each of `steps` (points of the series); NaN where it cannot be said. */
  xAt(steps: readonly number[]): Float64Array;
  /** Said with the panel when x rests on an assumption. */
  note?: string;
}

export const X_LABELS: Record<XAxis, string> = { step: 'step', epoch: 'epoch', time: 'wall time (s)' };

/** The axis of `series` of `run`, or a reason it has none in these units. */
export function runAxis(
  store: Store,
  run: RunRecord,
  series: SeriesStats,
  x: XAxis,
): RunAxis | { missing: string } {
  const whole: StepRange = { fromStep: series.firstStep, toStep: series.lastStep };
  const clip = (from: number, to: number): StepRange | undefined => {
    const fromStep = Math.max(from, series.firstStep);
    const toStep = Math.min(to, series.lastStep);
    return fromStep <= toStep ? { fromStep, toStep } : undefined;
  };
  switch (x) {
    case 'step':
      return {
        stepRange: (r) => (r ? clip(Math.ceil(r[0] - ROUNDING), Math.floor(r[1] + ROUNDING)) : whole),
        xAt: (steps) => Float64Array.from(steps),
      };
    case 'epoch': {
      const size = epochSize(run);
      if (!size) return { missing: `run ${run.id} has no batch size and training set size for epochs` };
      const { batchSize, trainSize } = size;
      const stepOf = (epoch: number): number => (epoch * trainSize) / batchSize;
      return {
        stepRange: (r) =>
          r ? clip(Math.ceil(stepOf(r[0]) - ROUNDING), Math.floor(stepOf(r[1]) + ROUNDING)) : whole,
        xAt: (steps) => Float64Array.from(steps, (s) => (s * batchSize) / trainSize),
        ...(size.note === undefined ? {} : { note: size.note }),
      };
    }
    case 'time': {
      const start = run.startedAt ?? store.readSeriesTimes(run.id, series.name, [series.firstStep])[0] ?? NaN;
      return {
        stepRange: (r) =>
          r
            ? store.seriesStepRangeForTimes(run.id, series.name, start + r[0] * 1000, start + r[1] * 1000)
            : whole,
        xAt: (steps) => store.readSeriesTimes(run.id, series.name, steps).map((t) => (t - start) / 1000),
      };
    }
  }
}
