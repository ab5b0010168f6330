import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../../src/main/engine/data/batcher';

describe('Batcher', () => {
  it('gives the same batch for the same (seed, step), and different batches for other seeds/steps', () => {
    const a = new Batcher(1000, 32, 7);
    const b = new Batcher(1000, 32, 7);
    for (const step of [0, 5, 31, 32, 500, 12345])
      expect([...a.indicesAt(step)]).toEqual([...b.indicesAt(step)]);
    expect([...a.indicesAt(0)]).not.toEqual([...a.indicesAt(1)]);
    expect([...new Batcher(1000, 32, 8).indicesAt(0)]).not.toEqual([...a.indicesAt(0)]);
  });

  it('shows every example exactly once per epoch (no partial batch: N mod B dropped)', () => {
    const batcher = new Batcher(103, 10, 3);
    expect(batcher.stepsPerEpoch).toBe(10);
    for (const epoch of [0, 1, 4]) {
      const seen = new Map<number, number>();
      for (let k = 0; k < 10; k++) {
        const batch = batcher.indicesAt(epoch * 10 + k);
        expect(batch.length).toBe(10);
        for (const i of batch) seen.set(i, (seen.get(i) ?? 0) + 1);
      }
      expect(seen.size).toBe(100);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect([...seen.keys()].every((i) => i >= 0 && i < 103)).toBe(true);
    }
    // The epochs are different permutations.
    expect([...batcher.indicesAt(0)]).not.toEqual([...batcher.indicesAt(10)]);
  });

  it('resumes: a fresh batcher at step k gives what an uninterrupted one gives', () => {
    const run = new Batcher(500, 64, 11);
    const uninterrupted = Array.from({ length: 40 }, (_, k) => [...run.indicesAt(k)]);
    const resumed = new Batcher(500, 64, 11);
    for (let k = 23; k < 40; k++) expect([...resumed.indicesAt(k)]).toEqual(uninterrupted[k]);
    // Jumping back and forth between epochs (cache misses) changes nothing.
    expect([...resumed.indicesAt(2)]).toEqual(uninterrupted[2]);
    expect([...resumed.indicesAt(39)]).toEqual(uninterrupted[39]);
  });

  it('uses the full batch in order when B >= N', () => {
    const batcher = new Batcher(5, 128, 1);
    expect(batcher.fullBatch).toBe(true);
    expect(batcher.batchSize).toBe(5);
    expect([...batcher.indicesAt(0)]).toEqual([0, 1, 2, 3, 4]);
    expect([...batcher.indicesAt(999)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects bad arguments', () => {
    expect(() => new Batcher(0, 4, 0)).toThrow(RangeError);
    expect(() => new Batcher(4, 0, 0)).toThrow(RangeError);
    expect(() => new Batcher(4, 2, 0).indicesAt(-1)).toThrow(RangeError);
  });
});
