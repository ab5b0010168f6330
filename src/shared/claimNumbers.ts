/**
 * A claim's numbers as the CLI, the report and the Reproduction view print them: three significant
 * digits (the precision the criteria are stated at) and the comparison a criterion passes by.
 */

/** Three significant digits: plain from 0.001 to below 100,000 (`0.0500`, `1230`), else `1.23e+5`; null or NaN is "n/a". */
export function formatClaimNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
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

/** `<=` as printed: `≤`. */
export function comparisonSign(compare: '<=' | '>='): string {
  return compare === '<=' ? '≤' : '≥';
}
