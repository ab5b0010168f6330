/**
 * How the Reproduction view words its numbers: a criterion's threshold, a plan's time on this
 * machine, what a start did. Durations are format/time.ts's, claim numbers shared/claimNumbers.ts's.
 */
import { comparisonSign, formatClaimNumber } from '../../../../shared/claimNumbers';
import type { PlanTotal, ReproStartResult } from '../../../../shared/reproduce';
import { formatDuration } from '../../format/time';

/** `≤ 0.500`: the comparison a criterion passes by, and its threshold. */
export function thresholdText(compare: '<=' | '>=', threshold: number): string {
  return `${comparisonSign(compare)} ${formatClaimNumber(threshold)}`;
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
