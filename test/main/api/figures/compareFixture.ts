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

/**
 * The buckets the documented grid makes of the runs' points over [from, to] for `width` pixels: the
 * first step F any run has in range as a bucket of its own, then min(width - 1, span) buckets over
 * F + 1 .. to (span = to - F), step s in bucket floor((s - F - 1) * nb / span); per bucket the step
 * of the latest point in it and each run's last value in it (the runs that have one).
 */
export function expectedBuckets(
  runs: readonly [number, number][][],
  from: number,
  to: number,
  width: number,
): ExpectedPoint[] {
  const inRange = runs.map((pts) => pts.filter(([s]) => s >= from && s <= to));
  const first = Math.min(...inRange.flatMap((pts) => pts.map(([s]) => s)));
  const span = to - first;
  const nb = Math.min(width - 1, span);
  const bucketOf = (s: number): number => (s === first ? -1 : Math.floor(((s - first - 1) * nb) / span));
  const buckets = new Map<number, { step: number; byRun: Map<number, [number, number]> }>();
  inRange.forEach((pts, r) => {
    for (const [s, v] of pts) {
      const b = bucketOf(s);
      let e = buckets.get(b);
      if (!e) buckets.set(b, (e = { step: -1, byRun: new Map() }));
      const prev = e.byRun.get(r);
      if (!prev || prev[0] < s) e.byRun.set(r, [s, v]);
      e.step = Math.max(e.step, s);
    }
  });
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((b) => {
      const e = buckets.get(b) as { step: number; byRun: Map<number, [number, number]> };
      return { step: e.step, values: [...e.byRun.values()].map(([, v]) => v) };
    });
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
