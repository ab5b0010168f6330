/**
 * How the report writes text and numbers into HTML: every piece of text escaped (run names are the
 * user's), every claim number with three significant digits, durations in the largest sensible units.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

/** Three significant digits: plain from 0.001 to below 100,000 (`0.0500`, `1230`), else `1.23e+5`; null is "n/a". */
export function formatNumber(value: number | null): string {
  if (value === null) return 'n/a';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  // Decided on the rounded value, so 99,999 (1.00e+5) is not written as 100000.
  const rounded = Number(value.toPrecision(3));
  if (Math.abs(rounded) < 1e-3 || Math.abs(rounded) >= 1e5) return value.toExponential(2);
  // toPrecision(3) writes 1234 as 1.23e+3 (more integer digits than significant ones): as a plain
  // number that is 1230, still three significant digits.
  const fixed = value.toPrecision(3);
  return fixed.includes('e') ? String(rounded) : fixed;
}

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

/** `<=` as the report prints a comparison. */
export function comparisonSign(compare: '<=' | '>='): string {
  return compare === '<=' ? '≤' : '≥';
}
