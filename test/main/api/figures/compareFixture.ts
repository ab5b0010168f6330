/**
 * Stored runs for the compare figure tests, and what their lines should be, computed from the points
 * the test wrote (never read back through the code under test).
 */
import type { FigureContext } from '../../../../src/main/api/figures/compareRuns';
import type { Store } from '../../../../src/main/store';
import { experimentSchema, type ExperimentConfig } from '../../../../src/shared/config';

export interface RunInput {
  name?: string;
  /** Overrides of a DLN config (seed, model, data, schedule, ...). */
  config?: Record<string, unknown>;
  /** Series name -> [step, value] points, in step order. */
  series: Record<string, [number, number][]>;
  /** When each step was written, ms since the epoch (default: now). */
  timeOf?: (step: number) => number;
  status?: 'completed' | 'diverged';
  divergedAtStep?: number;
}

export function dlnConfig(overrides: Record<string, unknown> = {}): ExperimentConfig {
  return experimentSchema.parse({
    name: 'dln',
    seed: 1,
    model: { network: 'dln25' },
    data: { dataset: 'dln-synthetic', samples: 1000 },
    optimizer: { lr: 0.01 },
    schedule: { steps: 1000, batchSize: 100 },
    ...overrides,
  });
}

/** Writes a finished run with its points; returns its id. */
export function writeRun(store: Store, input: RunInput): string {
  const id = store.createRun(dlnConfig(input.config), input.name === undefined ? {} : { name: input.name });
  store.markRunning(id, { backend: 'cpu', device: 'test', softwareDevice: false });
  const points = Object.entries(input.series).flatMap(([series, pts]) =>
    pts.map(([step, value]) => ({
      series,
      step,
      value,
      ...(input.timeOf ? { time: input.timeOf(step) } : {}),
    })),
  );
  store.appendPoints(id, points);
  store.finish(
    id,
    input.status ?? 'completed',
    input.divergedAtStep === undefined ? {} : { divergedAtStep: input.divergedAtStep },
  );
  return id;
}

export function contextOf(store: Store): FigureContext {
  return { store, dbPath: store.path };
}

/** Points at steps from..to every `every`, value f(step). */
export function pointsOf(
  from: number,
  to: number,
  f: (step: number) => number,
  every = 1,
): [number, number][] {
  const out: [number, number][] = [];
  for (let s = from; s <= to; s += every) out.push([s, f(s)]);
  return out;
}

export interface ExpectedPoint {
  step: number;
  values: number[];
}

/** log2 of the level-of-detail block widths (store/lod.ts), and 0 for the points themselves. */
const LEVELS = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24];

/**
 * The bucket width the documented rule picks for the group's steps [from, to] and `most` buckets:
 * the smallest k 2^L (k < 4 below the top level) for which the range meets at most `most` buckets.
 */
function bucketWidth(from: number, to: number, most: number): number {
  const fits = (w: number): boolean => Math.floor(to / w) - Math.floor(from / w) + 1 <= most;
  for (const level of LEVELS.slice(0, -1)) {
    for (const k of [1, 2, 3]) if (fits(k * 2 ** level)) return k * 2 ** level;
  }
  for (let k = 1; ; k++) if (fits(k * 2 ** 24)) return k * 2 ** 24;
}

/**
 * The buckets the documented reads make of the runs' points in the group's steps [from, to] for
 * `width` pixels (B = max(3, width) buckets at most): when no run has more than B points in range,
 * every point alone; otherwise each run's first point alone and its other points s in the bucket
 * ending at floor(s / W) W + W - 1, W the smallest allowed width with at most B - 1 buckets over
 * [from, to]. Per bucket (in step order) the step of the latest point in it and each run's last value
 * in it (the runs that have one).
 */
export function expectedBuckets(
  runs: readonly [number, number][][],
  from: number,
  to: number,
  width: number,
): ExpectedPoint[] {
  const most = Math.max(3, width);
  const inRange = runs.map((pts) => pts.filter(([s]) => s >= from && s <= to));
  const perPoint = inRange.every((pts) => pts.length <= most);
  const w = bucketWidth(from, to, most - 1);
  const buckets = new Map<number, { step: number; byRun: Map<number, [number, number]> }>();
  inRange.forEach((pts, r) => {
    pts.forEach(([s, v], i) => {
      const b = perPoint || i === 0 ? s : Math.floor(s / w) * w + w - 1;
      let e = buckets.get(b);
      if (!e) buckets.set(b, (e = { step: -1, byRun: new Map() }));
      const prev = e.byRun.get(r);
      if (!prev || prev[0] < s) e.byRun.set(r, [s, v]);
      e.step = Math.max(e.step, s);
    });
  });
  return [...buckets.entries()]
    .sort(([ka, a], [kb, b]) => a.step - b.step || ka - kb)
    .map(([, e]) => ({ step: e.step, values: [...e.byRun.values()].map(([, v]) => v) }));
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Population standard deviation. */
export const std = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
};

/** Debiased EMA by the formula, over finite values; NaN at non-finite ones. */
export function emaLoop(values: readonly number[], alpha: number): number[] {
  let m = 0;
  let n = 0;
  return values.map((x) => {
    if (!Number.isFinite(x)) return NaN;
    m = alpha * m + (1 - alpha) * x;
    n++;
    return m / (1 - alpha ** n);
  });
}
