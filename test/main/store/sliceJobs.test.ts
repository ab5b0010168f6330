import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { isUserError } from '../../../src/shared/errors';
import type { SliceSettings } from '../../../src/shared/slices';
import { sliceSettingsSchema } from '../../../src/shared/slices';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

const curve: SliceSettings = sliceSettingsSchema.parse({ dims: 1, from: -1, to: 1, points: 5 });
const surface: SliceSettings = sliceSettingsSchema.parse({
  dims: 2,
  from: 0,
  to: 2,
  points: 3,
  seeds: [4, 9],
});

function userErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isUserError(e) ? e.code : `not a UserError: ${String(e)}`;
  }
  return undefined;
}

/** A pid that certainly belongs to no process: one that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? -1;
}

describe('slice jobs', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('creates queued jobs with their settings, gets them and lists them per run oldest first', () => {
    const run = store.createRun(sampleConfig());
    const other = store.createRun(sampleConfig());
    const a = store.createSliceJob(run, 100, curve);
    const b = store.createSliceJob(run, 50, surface);
    const c = store.createSliceJob(other, 7, curve);
    expect(a).toMatch(/^[0-9a-z]{8}$/);
    expect(new Set([a, b, c]).size).toBe(3);

    const job = store.getSliceJob(b);
    expect(job).toMatchObject({
      id: b,
      runId: run,
      step: 50,
      settings: surface,
      status: 'queued',
      error: null,
      done: 0,
      total: 9,
    });
    expect(job?.createdAt).toBe(job?.updatedAt);
    expect(store.getSliceJob(a)?.total).toBe(5);
    expect(store.listSliceJobs(run).map((j) => j.id)).toEqual([a, b]);
    expect(store.listSliceJobs(other).map((j) => j.id)).toEqual([c]);
    expect(store.getSliceJob('nosuchjb')).toBeUndefined();
  });

  it('refuses an unknown run or job with a not-found UserError', () => {
    const run = store.createRun(sampleConfig());
    const job = store.createSliceJob(run, 1, curve);
    expect(userErrorCode(() => store.createSliceJob('nosuchrn', 1, curve))).toBe('not-found');
    expect(userErrorCode(() => store.listSliceJobs('nosuchrn'))).toBe('not-found');
    expect(userErrorCode(() => store.setSliceStatus('nosuchjb', 'running'))).toBe('not-found');
    expect(userErrorCode(() => store.appendSlicePoints('nosuchjb', [{ i: 0, j: 0, loss: 1 }]))).toBe(
      'not-found',
    );
    expect(userErrorCode(() => store.appendSlicePoints('nosuchjb', []))).toBe('not-found');
    expect(userErrorCode(() => store.readSlicePoints('nosuchjb'))).toBe('not-found');
    expect(() => store.createSliceJob('nosuchrn', 1, curve)).toThrow(/No run with id 'nosuchrn'/);
    expect(() => store.readSlicePoints('nosuchjb')).toThrow(/No loss-slice job with id 'nosuchjb'/);
    expect(store.listSliceJobs(run).map((j) => j.id)).toEqual([job]);
  });

  it('stores a curve with NaN, the infinities and -0, reads it in grid order with alpha and beta = 0', () => {
    const run = store.createRun(sampleConfig());
    const id = store.createSliceJob(run, 10, curve);
    store.appendSlicePoints(id, [
      { i: 3, j: 0, loss: Infinity },
      { i: 0, j: 0, loss: 2.5 },
    ]);
    store.appendSlicePoints(id, [
      { i: 1, j: 0, loss: NaN },
      { i: 4, j: 0, loss: -Infinity },
      { i: 2, j: 0, loss: -0 },
    ]);
    const points = store.readSlicePoints(id);
    expect(points).toEqual([
      { i: 0, j: 0, alpha: -1, beta: 0, loss: 2.5 },
      { i: 1, j: 0, alpha: -0.5, beta: 0, loss: NaN },
      { i: 2, j: 0, alpha: 0, beta: 0, loss: -0 },
      { i: 3, j: 0, alpha: 0.5, beta: 0, loss: Infinity },
      { i: 4, j: 0, alpha: 1, beta: 0, loss: -Infinity },
    ]);
    expect(Object.is(points[2]?.loss, -0)).toBe(true);
    expect(store.getSliceJob(id)).toMatchObject({ done: 5, total: 5 });
  });

  it('reads a surface i-major (alpha outer, beta inner, as evaluateSlice visits it), replacing recomputed points', () => {
    const run = store.createRun(sampleConfig());
    const id = store.createSliceJob(run, 10, surface);
    // Written j-major and partly twice: the read order must not depend on the write order.
    const written: { i: number; j: number; loss: number }[] = [];
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) written.push({ i, j, loss: 10 * i + j });
    store.appendSlicePoints(id, written.slice(0, 4));
    expect(store.getSliceJob(id)).toMatchObject({ done: 4, total: 9 });
    store.appendSlicePoints(id, [{ i: 0, j: 0, loss: NaN }, ...written.slice(4)]);
    expect(store.getSliceJob(id)).toMatchObject({ done: 9, total: 9 });

    const points = store.readSlicePoints(id);
    expect(points.map((p) => [p.i, p.j])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ]);
    // Axis 0..2 in 3 points: alpha_i = i, beta_j = j.
    for (const p of points) {
      expect([p.alpha, p.beta]).toEqual([p.i, p.j]);
      if (p.i !== 0 || p.j !== 0) expect(p.loss).toBe(10 * p.i + p.j);
    }
    expect(points[0]?.loss).toBeNaN();
  });

  it('refuses grid indices outside the job, writing none of the batch', () => {
    const run = store.createRun(sampleConfig());
    const c = store.createSliceJob(run, 1, curve);
    const s = store.createSliceJob(run, 1, surface);
    expect(() =>
      store.appendSlicePoints(c, [
        { i: 0, j: 0, loss: 1 },
        { i: 0, j: 1, loss: 1 },
      ]),
    ).toThrow(/outside/);
    expect(() => store.appendSlicePoints(c, [{ i: 5, j: 0, loss: 1 }])).toThrow(/outside/);
    expect(() => store.appendSlicePoints(s, [{ i: 2, j: 3, loss: 1 }])).toThrow(/outside/);
    expect(() => store.appendSlicePoints(s, [{ i: -1, j: 0, loss: 1 }])).toThrow(/outside/);
    expect(() => store.appendSlicePoints(s, [{ i: 0.5, j: 0, loss: 1 }])).toThrow(/outside/);
    expect(store.readSlicePoints(c)).toEqual([]);
    expect(store.getSliceJob(s)?.done).toBe(0);
  });

  it('changes status, error and updated_at', async () => {
    const run = store.createRun(sampleConfig());
    const id = store.createSliceJob(run, 1, curve);
    const created = store.getSliceJob(id)?.updatedAt ?? 0;
    await new Promise((r) => setTimeout(r, 5));
    store.setSliceStatus(id, 'running');
    const running = store.getSliceJob(id);
    expect(running?.status).toBe('running');
    expect(running?.updatedAt).toBeGreaterThan(created);

    await new Promise((r) => setTimeout(r, 5));
    store.appendSlicePoints(id, [{ i: 0, j: 0, loss: 1 }]);
    expect(store.getSliceJob(id)?.updatedAt).toBeGreaterThan(running?.updatedAt ?? 0);

    store.setSliceStatus(id, 'failed', 'out of memory');
    expect(store.getSliceJob(id)).toMatchObject({ status: 'failed', error: 'out of memory' });
    store.setSliceStatus(id, 'running');
    expect(store.getSliceJob(id)).toMatchObject({ status: 'running', error: null });
    store.setSliceStatus(id, 'completed');
    expect(store.getSliceJob(id)?.status).toBe('completed');
    expect(store.getSliceJob(id)?.done).toBe(1);
  });

  it('deleting the run deletes its jobs and their points, and only those', () => {
    const run = store.createRun(sampleConfig());
    const kept = store.createRun(sampleConfig());
    const gone = store.createSliceJob(run, 1, surface);
    const stays = store.createSliceJob(kept, 1, curve);
    store.appendSlicePoints(gone, [{ i: 1, j: 1, loss: 3 }]);
    store.appendSlicePoints(stays, [{ i: 1, j: 0, loss: 4 }]);
    expect(store.deleteRun(run)).toBe(true);
    expect(store.getSliceJob(gone)).toBeUndefined();
    expect(userErrorCode(() => store.readSlicePoints(gone))).toBe('not-found');
    expect(store.readSlicePoints(stays).map((p) => p.loss)).toEqual([4]);
  });
});

describe('slice job recovery', () => {
  function setSliceOwner(path: string, id: string, pid: number, host: string): void {
    const raw = new Database(path);
    raw.prepare('UPDATE slice_jobs SET owner_pid = ?, owner_host = ? WHERE id = ?').run(pid, host, id);
    raw.close();
  }

  it('stops, on open, the running jobs of dead processes or other hosts, keeping their points', async () => {
    const path = join(temp.dir(), 'slices.sqlite');
    const store = openStore(path);
    try {
      const run = store.createRun(sampleConfig());
      const [mine, dead, elsewhere, queued, done] = [1, 2, 3, 4, 5].map((s) =>
        store.createSliceJob(run, s, curve),
      ) as [string, string, string, string, string];
      store.setSliceStatus(mine, 'running');
      store.setSliceStatus(dead, 'running', null, await deadPid());
      store.setSliceStatus(elsewhere, 'running');
      setSliceOwner(path, elsewhere, process.pid, `${hostname()}-elsewhere`);
      store.setSliceStatus(done, 'completed');
      store.appendSlicePoints(dead, [{ i: 0, j: 0, loss: 1.25 }]);

      const untouched = openStore(path, { recover: false });
      expect(untouched.getSliceJob(dead)?.status).toBe('running');
      untouched.close();

      const second = openStore(path); // recovers on open, like a restarted app
      const status = (id: string) => second.getSliceJob(id)?.status;
      expect([mine, dead, elsewhere, queued, done].map(status)).toEqual([
        'running',
        'stopped',
        'stopped',
        'queued',
        'completed',
      ]);
      expect(second.readSlicePoints(dead).map((p) => p.loss)).toEqual([1.25]);
      expect(second.recoverSliceJobs()).toEqual([]);
      expect(status(mine)).toBe('running');
      second.close();
    } finally {
      store.close();
    }
  });

  it('force takes the jobs of other live processes, never this one', () => {
    const path = join(temp.dir(), 'force.sqlite');
    const store = openStore(path);
    try {
      const run = store.createRun(sampleConfig());
      const mine = store.createSliceJob(run, 1, curve);
      const parent = store.createSliceJob(run, 2, curve);
      store.setSliceStatus(mine, 'running');
      // The test runner's parent process is alive and is not this one.
      store.setSliceStatus(parent, 'running', null, process.ppid);
      expect(store.recoverSliceJobs()).toEqual([]);
      expect(store.recoverSliceJobs({ force: true })).toEqual([parent]);
      expect(store.getSliceJob(mine)?.status).toBe('running');
      expect(store.getSliceJob(parent)?.status).toBe('stopped');
    } finally {
      store.close();
    }
  });
});
