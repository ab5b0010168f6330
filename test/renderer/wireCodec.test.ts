import { describe, expect, it } from 'vitest';
import { decodeWire as contractDecode, encodeWire as contractEncode } from '../../src/shared/api';
import { decodeWire, encodeWire } from '../../src/renderer/src/api/wireCodec';

const SAMPLES: unknown[] = [
  { kind: 'reply', id: 3, ok: true, result: { loss: NaN, max: Infinity, min: -Infinity, ok: 1.5 } },
  [NaN, 0, -0.25, Infinity, null, 'NaN', { $nonfinite: 'x' }],
  { nested: { deeper: [{ value: -Infinity }] }, text: 'Infinity' },
  42,
  'plain',
];

describe('the renderer wire codec', () => {
  it('writes exactly what the contract writes', () => {
    for (const s of SAMPLES) expect(encodeWire(s)).toBe(contractEncode(s));
  });

  it('reads what the contract writes, NaN and infinities included', () => {
    for (const s of SAMPLES) {
      expect(decodeWire(contractEncode(s))).toEqual(contractDecode(contractEncode(s)));
      expect(contractDecode(encodeWire(s))).toEqual(s);
    }
  });
});
