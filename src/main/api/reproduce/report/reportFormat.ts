/**
 * How the report writes durations: in the largest sensible units. (Text is escaped with
 * shared/html.ts, claim numbers written with shared/claimNumbers.ts.)
 */

/** `4.2 s`, `12 min 05 s`, `3 h 07 min`; null (no time recorded) is "n/a". */
export function formatSeconds(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return 'n/a';
  const s = Math.max(0, sec);
  if (s < 10) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  if (whole < 60) return `${whole} s`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const r = whole % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(r).padStart(2, '0')} s`;
}
