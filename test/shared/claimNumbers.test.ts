import { describe, expect, it } from 'vitest';
import { comparisonSign, formatClaimNumber as formatNumber } from '../../src/shared/claimNumbers';
import { escapeHtml } from '../../src/shared/html';

describe("a claim's numbers as printed", () => {
  it('gives every number three significant digits, exponents outside 0.001 to 100,000', () => {
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(0.2)).toBe('0.200');
    expect(formatNumber(2)).toBe('2.00');
    expect(formatNumber(-12.345)).toBe('-12.3');
    expect(formatNumber(1234)).toBe('1230');
    expect(formatNumber(99_940)).toBe('99900');
    expect(formatNumber(123_456)).toBe('1.23e+5');
    expect(formatNumber(99_999)).toBe('1.00e+5');
    expect(formatNumber(0.001)).toBe('0.00100');
    expect(formatNumber(0.000123456)).toBe('1.23e-4');
    expect(formatNumber(0)).toBe('0');
  });

  it('writes a missing value (NaN travels as null) as n/a', () => {
    expect(formatNumber(null)).toBe('n/a');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('escapes every character that could end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(comparisonSign('<=')).toBe('≤');
    expect(comparisonSign('>=')).toBe('≥');
  });
});
