/**
 * Where each planned run stands in the store, matched by key (runKey.ts) against every stored run
 * whose config parses with today's schema (stored configs are JSON from whichever NormLab wrote them;
 * one that no longer parses cannot be the planned run). Any stored run with the planned config counts,
 * tagged for this reproduction or not: its training is the same.
 *
 * - done: a run ended `completed` or `diverged` (a divergence is a result: Fig 1's plain network at
 *   LR 0.5 may diverge).
 * - resumable: a run that ended `interrupted`, `stopped` or `failed` (resume it from its newest
 *   checkpoint, or from the start when it has none).
 * - active: a run `queued`, `running` or `paused` under a live process (the store turns those of dead
 *   processes into `interrupted`): another reproduction has it; do not start it twice.
 * - to-run: no stored run has the config.
 * Where several stored runs match, done beats active beats resumable; among resumable the one that
 * got furthest.
 */
import { experimentSchema } from '../../../shared/config';
import type { RunRecord, RunStatus } from '../../../shared/runTypes';
import type { Store } from '../../store';
import type { PlannedRun } from './plan';
import { runKey } from './runKey';

export type PlannedRunState = 'done' | 'resumable' | 'active' | 'to-run';

export interface PlannedRunStatus {
  key: string;
  state: PlannedRunState;
  /** The stored run it found; absent for to-run. */
  runId?: string;
  lastStep?: number | null;
}

const STATE_OF: Record<RunStatus, Exclude<PlannedRunState, 'to-run'>> = {
  completed: 'done',
  diverged: 'done',
  interrupted: 'resumable',
  stopped: 'resumable',
  failed: 'resumable',
  queued: 'active',
  running: 'active',
  paused: 'active',
};

const RANK: Record<PlannedRunState, number> = { done: 3, active: 2, resumable: 1, 'to-run': 0 };

/** Stored runs by the key of their (parsed) config. */
export function storedRunsByKey(runs: readonly RunRecord[]): Map<string, RunRecord[]> {
  const byKey = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const parsed = experimentSchema.safeParse(run.config);
    if (!parsed.success) continue;
    const key = runKey(parsed.data);
    const list = byKey.get(key);
    if (list) list.push(run);
    else byKey.set(key, [run]);
  }
  return byKey;
}

function better(a: RunRecord, b: RunRecord): boolean {
  const ra = RANK[STATE_OF[a.status]];
  const rb = RANK[STATE_OF[b.status]];
  if (ra !== rb) return ra > rb;
  return (a.lastStep ?? 0) > (b.lastStep ?? 0);
}

export function classifyRuns(
  planned: readonly PlannedRun[],
  stored: readonly RunRecord[],
): PlannedRunStatus[] {
  const byKey = storedRunsByKey(stored);
  return planned.map((run) => {
    const matches = byKey.get(run.key) ?? [];
    let best: RunRecord | undefined;
    for (const m of matches) if (!best || better(m, best)) best = m;
    if (!best) return { key: run.key, state: 'to-run' };
    return { key: run.key, state: STATE_OF[best.status], runId: best.id, lastStep: best.lastStep };
  });
}

/** classifyRuns against every run of the store. */
export function classifyPlan(store: Store, planned: readonly PlannedRun[]): PlannedRunStatus[] {
  return classifyRuns(planned, store.listRuns());
}
