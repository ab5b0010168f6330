import { describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../../../src/main/api/reproduce/report/reportFormat';

describe("the report's durations", () => {
  it('writes durations in the largest sensible units', () => {
    expect(formatSeconds(4.24)).toBe('4.2 s');
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(725)).toBe('12 min 05 s');
    expect(formatSeconds(3 * 3600 + 7 * 60 + 20)).toBe('3 h 07 min');
    expect(formatSeconds(null)).toBe('n/a');
  });
});
