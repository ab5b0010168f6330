/**
 * Which runs fill a template's slots. By default a slot takes the stored runs named SOURCE/LABEL for
 * the template's sources (e.g. `fig4/bn` and `fig4-cpu/bn`): the source whose newest run is newest,
 * and every run of that name that has data to show (not failed, not still queued) as the slot's runs,
 * newest first (seeds). Runs a user picks for a slot replace its default.
 */
import { UserError } from '../../../shared/errors';
import type { FigureTemplate } from '../../../shared/figureTemplates';
import type { RunRecord, RunStatus } from '../../../shared/runTypes';
import { requireRuns, type FigureContext } from './compareRuns';

/** Statuses whose runs have nothing to show (yet) or failed: never chosen by default. */
const SKIPPED: readonly RunStatus[] = ['failed', 'queued'];

export interface FilledSlot {
  label: string;
  runIds: string[];
  /** The run name the default fill chose (`fig4-cpu/bn`); null when the user picked the runs or none. */
  source: string | null;
  /** The run names the default fill looked for; empty when the user picked the runs. */
  names: string[];
}

/** What a panel says for a slot without runs. */
export function noRunsNote(slot: FilledSlot): string {
  return slot.names.length > 0
    ? `no runs for ${slot.label}: none named ${slot.names.join(' or ')} (not failed, not queued)`
    : `no runs picked for ${slot.label}`;
}

/** Stored runs that may fill a slot, by name, newest first. */
function runsByName(runs: readonly RunRecord[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const run of runs) {
    if (SKIPPED.includes(run.status)) continue;
    const ids = byName.get(run.name);
    if (ids) ids.push(run.id);
    else byName.set(run.name, [run.id]);
  }
  return byName;
}

/**
 * Each slot with its default runs, from `runs` (default: every stored run; listRuns is newest first,
 * so list position is recency).
 */
export function defaultSlots(
  ctx: FigureContext,
  template: FigureTemplate,
  runs: readonly RunRecord[] = ctx.store.listRuns(),
): FilledSlot[] {
  const rank = new Map(runs.map((r, k) => [r.id, k]));
  const byName = runsByName(runs);
  return template.slots.map((label) => {
    const names = template.sources.map((source) => `${source}/${label}`);
    let best: { name: string; ids: string[]; rank: number } | undefined;
    for (const name of names) {
      const ids = byName.get(name);
      const newest = ids?.[0];
      if (!ids || newest === undefined) continue;
      const r = rank.get(newest) as number;
      if (!best || r < best.rank) best = { name, ids, rank: r };
    }
    return { label, runIds: best?.ids ?? [], source: best?.name ?? null, names };
  });
}

/**
 * The slots as a spec fills them: the user's runs where given (each must exist; slot labels must be
 * the template's), the default elsewhere.
 */
export function resolveSlots(
  ctx: FigureContext,
  template: FigureTemplate,
  picked: Readonly<Record<string, readonly string[]>>,
): FilledSlot[] {
  const unknown = Object.keys(picked).filter((label) => !template.slots.includes(label));
  if (unknown.length > 0) {
    throw new UserError(
      'usage',
      `${template.name} has no slot ${unknown.map((l) => `"${l}"`).join(', ')}; its slots are: ${template.slots.join(', ')}`,
    );
  }
  requireRuns(ctx, [...new Set(Object.values(picked).flat())]);
  const defaults = Object.keys(picked).length === template.slots.length ? [] : defaultSlots(ctx, template);
  return template.slots.map((label) => {
    const ids = picked[label];
    if (ids) return { label, runIds: [...ids], source: null, names: [] };
    return defaults.find((s) => s.label === label) ?? { label, runIds: [], source: null, names: [] };
  });
}
