import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

let path: string;
let store: Store;
let run: string;
beforeEach(() => {
  path = join(temp.dir(), 'ckpt.sqlite');
  store = openStore(path);
  run = store.createRun(sampleConfig());
});
afterEach(() => store.close());

const bytesOf = (step: number, n = 16) => Uint8Array.from({ length: n }, (_, i) => (step * 31 + i) & 255);

describe('checkpoints', () => {
  it('round-trip bytes (a view into a larger buffer included) and meta', () => {
    const big = new Uint8Array(64).map((_, i) => i);
    const view = big.subarray(8, 40);
    store.saveCheckpoint(run, 100, view, { meta: { format: 1, tensors: ['w0', 'b0'] } });
    const c = store.getLatestCheckpoint(run);
    expect(c?.step).toBe(100);
    expect(c?.size).toBe(32);
    expect([...(c?.bytes ?? [])]).toEqual([...view]);
    expect(c?.meta).toEqual({ format: 1, tensors: ['w0', 'b0'] });
    expect(store.getCheckpoint(run, 100)?.size).toBe(32);
    expect(store.getCheckpoint(run, 99)).toBeUndefined();
  });

  it('keeps the K newest by step, deleting the oldest', () => {
    for (const step of [100, 200, 300, 400, 500]) store.saveCheckpoint(run, step, bytesOf(step), { keep: 3 });
    expect(store.listCheckpoints(run).map((c) => c.step)).toEqual([300, 400, 500]);
    const latest = store.getLatestCheckpoint(run);
    expect(latest?.step).toBe(500);
    expect([...(latest?.bytes ?? [])]).toEqual([...bytesOf(500)]);
    store.saveCheckpoint(run, 600, bytesOf(600), { keep: 1 });
    expect(store.listCheckpoints(run).map((c) => c.step)).toEqual([600]);
  });

  it('defaults to keeping 3, replaces a checkpoint saved again at the same step, and keeps runs apart', () => {
    const other = store.createRun(sampleConfig());
    for (const step of [1, 2, 3, 4]) store.saveCheckpoint(run, step, bytesOf(step));
    store.saveCheckpoint(other, 9, bytesOf(9));
    store.saveCheckpoint(run, 4, bytesOf(44, 8));
    expect(store.listCheckpoints(run).map((c) => [c.step, c.size])).toEqual([
      [2, 16],
      [3, 16],
      [4, 8],
    ]);
    expect(store.listCheckpoints(other).map((c) => c.step)).toEqual([9]);
    expect(store.getLatestCheckpoint('nope0000')).toBeUndefined();
  });

  it('rejects keep < 1', () => {
    expect(() => store.saveCheckpoint(run, 1, bytesOf(1), { keep: 0 })).toThrow(RangeError);
  });

  it('a multi-megabyte checkpoint survives reopening the file', () => {
    const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    store.saveCheckpoint(run, 7, big);
    store.close();
    store = openStore(path);
    const c = store.getLatestCheckpoint(run);
    expect(c?.size).toBe(big.byteLength);
    expect(Buffer.compare(Buffer.from(c?.bytes ?? []), Buffer.from(big))).toBe(0);
  });
});
