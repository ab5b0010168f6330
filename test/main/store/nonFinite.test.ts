import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DECODE_SQL, decodeValue, encodeValue } from '../../../src/main/store/nonFinite';

const VALUES = [0, -0, 1, -1.5, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Number.NaN, Infinity, -Infinity];

describe('non-finite encoding', () => {
  it('decodes what it encodes, -0 and NaN included', () => {
    for (const v of VALUES) {
      const out: [number | null, number] = [0, 0];
      encodeValue(v, out);
      expect(decodeValue(out[0], out[1])).toEqual(v);
      expect(out[0] === null).toBe(!Number.isFinite(v));
    }
  });

  it('the SQL decoder agrees with the JS one on values stored by SQLite', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE p (value REAL, nf INTEGER)');
    const insert = db.prepare('INSERT INTO p VALUES (?, ?)');
    for (const v of VALUES) {
      const out: [number | null, number] = [0, 0];
      encodeValue(v, out);
      insert.run(out[0], out[1]);
    }
    const rows = db
      .prepare<[], { value: number | null; nf: number; sql: number | null }>(
        `SELECT value, nf, ${DECODE_SQL} AS sql FROM p ORDER BY rowid`,
      )
      .all();
    expect(rows.map((r) => decodeValue(r.value, r.nf))).toEqual(VALUES);
    expect(rows.map((r) => r.sql ?? Number.NaN)).toEqual(VALUES);
    db.close();
  });
});
