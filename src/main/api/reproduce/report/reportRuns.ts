/**
 * The report's runs: every planned run of the reproduction with the stored run it found (if any), as
 * the store records it: the name (the user may have edited it), status, the backend and device it
 * actually trained on, its seed, steps and wall time.
 */
import type { PlannedRunInfo, ReproResults } from '../../../../shared/reproduce';
import type { RunStatus } from '../../../../shared/runTypes';
import type { FigureContext } from '../../figures/compareRuns';

export interface ReportRun {
  /** The planned run's config key. */
  key: string;
  /** The plan's name for it (`fig4/bn seed 0`). */
  plannedName: string;
  /** Where the plan found it: done, active, resumable or to-run. */
  state: PlannedRunInfo['state'];
  /** The figure slots it fills, `TEMPLATE/LABEL`. */
  uses: string[];
  /** The planned training steps. */
  steps: number;
  readingApplied: boolean;
  seed: number;
  /** The stored run; null (and the fields below null) when none is stored yet. */
  id: string | null;
  /** The stored run's name, else the planned name. */
  name: string;
  status: RunStatus | null;
  backend: string | null;
  device: string | null;
  softwareDevice: boolean | null;
  lastStep: number | null;
  divergedAtStep: number | null;
  /**
   * endedAt - startedAt in seconds, where both are recorded (a run still training has no end). A run
   * resumed after an interruption keeps its first start, so its time includes the pause.
   */
  wallSec: number | null;
}

function planned(run: PlannedRunInfo): ReportRun {
  return {
    key: run.key,
    plannedName: run.name,
    state: run.state,
    uses: run.uses.map((u) => `${u.template}/${u.slot}`),
    steps: run.steps,
    readingApplied: run.readingApplied,
    seed: run.seed,
    id: null,
    name: run.name,
    status: null,
    backend: null,
    device: null,
    softwareDevice: null,
    lastStep: null,
    divergedAtStep: null,
    wallSec: null,
  };
}

/** Every planned run, in the plan's order, with what the store holds of it. */
export function reportRuns(ctx: FigureContext, results: ReproResults): ReportRun[] {
  return results.plan.runs.map((run) => {
    const base = planned(run);
    const stored = run.runId !== undefined ? ctx.store.getRun(run.runId) : undefined;
    if (!stored) return base;
    const { startedAt, endedAt } = stored;
    return {
      ...base,
      id: stored.id,
      name: stored.name,
      status: stored.status,
      backend: stored.backend,
      device: stored.device,
      softwareDevice: stored.softwareDevice,
      seed: stored.seed,
      lastStep: stored.lastStep,
      divergedAtStep: stored.divergedAtStep,
      wallSec: startedAt !== null && endedAt !== null ? (endedAt - startedAt) / 1000 : null,
    };
  });
}
