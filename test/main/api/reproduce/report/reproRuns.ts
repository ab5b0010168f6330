/**
 * A database holding a reproduction's runs as if it had trained them: each planned run (plan.ts)
 * stored with its planned config, so the plan finds it by key, started on a backend, given a wall
 * time and finished, with the series and probe records of the figure fixture's run for the same slot
 * (test/helpers/figureRuns.ts), so that the figures and claims have data to read. The fixture's own
 * runs (named `figN-cpu/LABEL`) stay in the store: a figure filled by default would pick them up.
 */
import { vi } from 'vitest';
import { buildPlan, type PlannedRun, type PlanOptions } from '../../../../../src/main/api/reproduce/plan';
import type { Store } from '../../../../../src/main/store';
import { findTemplate } from '../../../../../src/shared/figureTemplates';
import { must } from '../../../../helpers/defined';
import { seedFigureRuns } from '../../../../helpers/figureRuns';

export interface ReproRunsOptions {
  /** Planned runs to leave out (still to run). */
  skip?: (run: PlannedRun) => boolean;
  /** The name a run is stored under (default the plan's). */
  nameOf?: (run: PlannedRun) => string;
  /** Where each run trained (default wasm on `Test CPU`). */
  placeOf?: (run: PlannedRun) => { backend: string; device: string };
  /** Each run's wall time in seconds (default 60). */
  wallSecOf?: (run: PlannedRun) => number;
}

export interface ReproRuns {
  planned: PlannedRun[];
  /** Stored run id by planned key. */
  ids: Map<string, string>;
  /** The figure fixture's runs by name (`fig4-cpu/bn` -> ids). */
  fixture: Record<string, string[]>;
}

/** The fixture's run for a planned run's first slot, e.g. `fig4-cpu/bn`. */
function fixtureName(run: PlannedRun): string {
  const use = must(run.uses[0]);
  return `fig${must(findTemplate(use.template)).figure}-cpu/${use.slot}`;
}

export function storeReproRuns(store: Store, plan: PlanOptions, options: ReproRunsOptions = {}): ReproRuns {
  const { runs, templates, tag } = buildPlan(plan);
  const { runIds: fixture } = seedFigureRuns(store, { templates });
  const ids = new Map<string, string>();
  const start = Date.UTC(2024, 0, 1, 9, 0, 0);
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    store.batch(() => {
      for (const run of runs) {
        if (options.skip?.(run)) continue;
        const source = must(fixture[fixtureName(run)]?.[0]);
        vi.setSystemTime(start);
        const id = store.createRun(run.config, { name: options.nameOf?.(run) ?? run.name, tags: [tag] });
        store.markRunning(id, {
          ...(options.placeOf?.(run) ?? { backend: 'wasm', device: 'Test CPU' }),
          softwareDevice: false,
        });
        const points = [...store.exportMetrics(source)].map(({ series, step, value }) => ({
          series,
          step,
          value,
        }));
        store.appendPoints(id, points, { lastStep: Math.max(...points.map((p) => p.step)) });
        store.appendProbeRecords(
          id,
          store.listProbeRecords(source).map(({ time: _time, ...record }) => record),
        );
        vi.setSystemTime(start + (options.wallSecOf?.(run) ?? 60) * 1000);
        store.finish(id, 'completed');
        ids.set(run.key, id);
      }
    });
  } finally {
    vi.useRealTimers();
  }
  return { planned: runs, ids, fixture };
}
