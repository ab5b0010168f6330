import { describe, expect, it } from 'vitest';
import { decodeWire as contractDecode, encodeWire as contractEncode } from '../../src/shared/api';
import { decodeWire, encodeWire } from '../../src/shared/wireCodec';

const SAMPLES: unknown[] = [
  { kind: 'reply', id: 3, ok: true, result: { loss: NaN, max: Infinity, min: -Infinity, ok: 1.5 } },
  [NaN, 0, -0.25, Infinity, null, 'NaN', { $nonfinite: 'x' }],
  { nested: { deeper: [{ value: -Infinity }] }, text: 'Infinity' },
  42,
  'plain',
];

describe('the wire codec', () => {
  it('is what the contract exports', () => {
    expect(contractEncode).toBe(encodeWire);
    expect(contractDecode).toBe(decodeWire);
  });

  it('writes NaN and infinities as tagged objects', () => {
    expect(encodeWire([NaN, Infinity, -Infinity, 1])).toBe(
      '[{"$nonfinite":"NaN"},{"$nonfinite":"Infinity"},{"$nonfinite":"-Infinity"},1]',
    );
  });

  it('reads back what it writes, NaN and infinities included', () => {
    for (const s of SAMPLES) expect(decodeWire(encodeWire(s))).toEqual(s);
  });
});
