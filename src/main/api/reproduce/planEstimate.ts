/**
 * The plan's time on this machine: each run's estimate from stored throughput (estimates.ts) and the
 * total of those that have one. There is no FLOP-count fallback: converting FLOPs to seconds needs
 * this machine's achieved FLOP rate for the network, which is exactly the measurement that is
 * missing, so a run without a basis has a null estimate and the reason, and the total says how many
 * runs it leaves out. Runs already done cost nothing; resumable ones are counted in full (their
 * checkpoint may be far from the step they reached).
 */
import type { Store } from '../../store';
import { estimate } from '../estimates';
import type { ReproPlan } from './plan';
import type { PlannedRunStatus } from './planStatus';

export interface RunEstimate {
  key: string;
  estimateSec: number | null;
  basis: string;
}

export interface PlanEstimate {
  runs: RunEstimate[];
  /** Seconds over the runs that have an estimate and are not done. */
  knownSec: number;
  /** Runs still to train whose estimate is null. */
  unknownRuns: number;
  /** knownSec when every run still to train has an estimate, else null. */
  totalSec: number | null;
}

export function estimatePlan(
  store: Store,
  plan: ReproPlan,
  statuses?: readonly PlannedRunStatus[],
  preferredBackend?: string,
): PlanEstimate {
  const done = new Set((statuses ?? []).filter((s) => s.state === 'done').map((s) => s.key));
  let knownSec = 0;
  let unknownRuns = 0;
  const runs = plan.runs.map((run): RunEstimate => {
    if (done.has(run.key)) return { key: run.key, estimateSec: 0, basis: 'done: a stored run is reused' };
    const e = estimate(store, run.config, preferredBackend);
    if (e.estimateSec === null) unknownRuns++;
    else knownSec += e.estimateSec;
    return { key: run.key, estimateSec: e.estimateSec, basis: e.estimateBasis };
  });
  return { runs, knownSec, unknownRuns, totalSec: unknownRuns === 0 ? knownSec : null };
}
