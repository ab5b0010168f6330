/**
 * SQLite keeps IEEE doubles but turns NaN into NULL and -0 into 0, and a diverging run produces NaN
 * and +-Infinity: exactly the values its chart must show. A point is therefore stored as
 * (value, nf): finite values as themselves with nf = 0, and the rest as value = NULL with a code
 * (nf = 1 NaN, 2 +Infinity, 3 -Infinity). -0 is stored as 0 with nf = 4 so it reads back as -0.
 *
 * Storing every non-finite value as NULL (rather than +-Infinity, which SQLite could hold) is what
 * lets SQL's min()/max() and ORDER BY value skip them: the downsampled read's min/max are over
 * finite values only (see buckets.ts). nf = 0 and 1 cost no bytes in SQLite's record format.
 */

export const NF_FINITE = 0;
const NF_NAN = 1;
const NF_POS_INF = 2;
const NF_NEG_INF = 3;
const NF_NEG_ZERO = 4;

/** Encodes a value into `out` as [value column, nf column] (no allocation: this runs per point). */
export function encodeValue(v: number, out: [number | null, number]): void {
  if (Number.isFinite(v)) {
    if (v === 0 && Object.is(v, -0)) {
      out[0] = 0;
      out[1] = NF_NEG_ZERO;
    } else {
      out[0] = v;
      out[1] = NF_FINITE;
    }
  } else {
    out[0] = null;
    out[1] = Number.isNaN(v) ? NF_NAN : v > 0 ? NF_POS_INF : NF_NEG_INF;
  }
}

/**
 * decodeValue as an SQL expression over the columns `value` and `nf` (SQLite returns -0.0 and 9e999
 * from expressions as -0 and Infinity); NULL means NaN. Lets a read return plain numbers.
 */
export const DECODE_SQL =
  'CASE nf WHEN 0 THEN value WHEN 2 THEN 9e999 WHEN 3 THEN -9e999 WHEN 4 THEN -0.0 END';

export function decodeValue(value: number | null, nf: number): number {
  switch (nf) {
    case NF_FINITE:
      return value ?? Number.NaN;
    case NF_NAN:
      return Number.NaN;
    case NF_POS_INF:
      return Number.POSITIVE_INFINITY;
    case NF_NEG_INF:
      return Number.NEGATIVE_INFINITY;
    case NF_NEG_ZERO:
      return -0;
    default:
      throw new Error(`unknown non-finite code ${nf}`);
  }
}
