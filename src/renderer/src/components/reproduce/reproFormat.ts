/**
 * How the Reproduction view words its numbers: a criterion's value and threshold, a plan's time on
 * this machine, what a start did. Durations are format/time.ts's.
 */
import type { PlanTotal, ReproStartResult } from '../../../../shared/reproduce';
import { formatDuration } from '../../format/time';

/**
 * A criterion's value or threshold to 3 significant digits (the precision the criteria are stated
 * at), exponent form outside [1e-3, 1e4); a value that could not be computed (NaN travels as null)
 * is `n/a`.
 */
export function formatCriterion(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return v.toPrecision(3);
}

/** `≤ 0.500`: the comparison a criterion passes by, and its threshold. */
export function thresholdText(compare: '<=' | '>=', threshold: number): string {
  return `${compare === '<=' ? '≤' : '≥'} ${formatCriterion(threshold)}`;
}

function runs(n: number): string {
  return `${n} ${n === 1 ? 'run' : 'runs'}`;
}

/**
 * A plan's time left on this machine: `about 12 min`, or what is known and how many runs have no
 * timing yet, or that nothing is left to train.
 */
export function totalTimeText(t: PlanTotal): string {
  if (t.toTrain === 0) return 'nothing left to train';
  if (t.totalSec !== null) return `about ${formatDuration(t.totalSec)}`;
  const known = t.knownSec > 0 ? `at least ${formatDuration(t.knownSec)}, ` : '';
  return `${known}${runs(t.unknownRuns)} without a timing here`;
}

/** `2 of 6 runs to train` */
export function toTrainText(t: PlanTotal): string {
  return `${t.toTrain} of ${runs(t.runs)} to train`;
}

/** What a start did, in one line: `queued 2 runs (1 resumed); reused 3 finished runs`. */
export function startSummary(r: ReproStartResult): string {
  const parts: string[] = [];
  const fresh = r.queued.length - r.resumed.length;
  if (r.queued.length > 0) {
    const detail = [
      ...(fresh > 0 && r.resumed.length > 0 ? [`${fresh} new`] : []),
      ...(r.resumed.length > 0 ? [`${r.resumed.length} resumed from a checkpoint`] : []),
    ];
    parts.push(`queued ${runs(r.queued.length)}${detail.length ? ` (${detail.join(', ')})` : ''}`);
  }
  if (r.reused.length > 0)
    parts.push(`reused ${r.reused.length} stored ${r.reused.length === 1 ? 'run' : 'runs'}`);
  if (r.elsewhere.length > 0)
    parts.push(`${runs(r.elsewhere.length)} training in another process (read when they finish)`);
  if (parts.length === 0) return 'nothing to do: the plan has no runs';
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
