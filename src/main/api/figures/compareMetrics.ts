/**
 * The series a set of runs has, for the compare view's metric picker: every name any of them stored,
 * with how many of the runs have it; training and test metrics first, then the probes, then the rest
 * (speed), each by name with numbers in order (layer2 before layer10).
 */
import type { ApiResult } from '../../../shared/api';
import { requireRuns, type FigureContext } from './compareRuns';

const FIRST = ['train', 'test', 'probe'];

function rank(name: string): number {
  const head = name.split('/')[0] ?? '';
  const i = FIRST.indexOf(head);
  return i < 0 ? FIRST.length : i;
}

export function compareMetrics(ctx: FigureContext, runIds: readonly string[]): ApiResult<'compare.metrics'> {
  const counts = new Map<string, number>();
  for (const run of requireRuns(ctx, [...new Set(runIds)])) {
    for (const s of ctx.store.listSeries(run.id)) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, runs]) => ({ name, runs }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name, 'en', { numeric: true }));
}
