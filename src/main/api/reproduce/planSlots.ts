/**
 * A reproduction's runs per figure slot, for the claims and the figures: the plan maps each
 * (template, slot) to the keys of its runs (one per seed, shared between figures where the configs
 * agree); the statuses say which stored run each key found. A slot lists the stored runs that are
 * done (completed or diverged: a divergence is a result); keys still to run, running or resumable
 * are left out, so a claim over them is inconclusive instead of judged on part of the data.
 */
import type { RunsBySlot } from './claimData';
import type { ReproPlan } from './plan';
import type { PlannedRunStatus } from './planStatus';

export function planRunsBySlot(plan: ReproPlan, statuses: readonly PlannedRunStatus[]): RunsBySlot {
  const done = new Map<string, string>();
  for (const s of statuses) if (s.state === 'done' && s.runId !== undefined) done.set(s.key, s.runId);
  const out: Record<string, string[]> = {};
  for (const [template, slots] of Object.entries(plan.slots)) {
    for (const [slot, keys] of Object.entries(slots)) {
      out[`${template}/${slot}`] = keys.flatMap((k) => {
        const id = done.get(k);
        return id === undefined ? [] : [id];
      });
    }
  }
  return out;
}
