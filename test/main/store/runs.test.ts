import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { UserError } from '../../../src/shared/errors';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

let path: string;
let store: Store;
beforeEach(() => {
  path = join(temp.dir(), 'runs.sqlite');
  store = openStore(path);
});
afterEach(() => store.close());

const gpu = { backend: 'webgpu', device: 'NVIDIA H100', softwareDevice: false };

describe('run lifecycle', () => {
  it('creates a queued run with a short id, its config verbatim, and name and seed from the config', () => {
    const config = sampleConfig({ name: 'bn vs none', seed: 42 });
    const before = Date.now();
    const id = store.createRun(config);
    expect(id).toMatch(/^[0-9a-z]{8}$/);
    const run = store.getRun(id);
    expect(run).toMatchObject({
      id,
      name: 'bn vs none',
      status: 'queued',
      seed: 42,
      backend: null,
      softwareDevice: null,
      startedAt: null,
      lastStep: null,
      parentId: null,
    });
    expect(run?.config).toEqual(config);
    expect(run?.createdAt).toBeGreaterThanOrEqual(before);
    expect(store.createRun(config, { name: 'other' })).not.toBe(id);
  });

  it('records where a run trains, its progress and how it ended', () => {
    const id = store.createRun(sampleConfig());
    store.markRunning(id, gpu);
    let run = store.getRun(id);
    expect(run).toMatchObject({
      status: 'running',
      backend: 'webgpu',
      device: 'NVIDIA H100',
      softwareDevice: false,
    });
    const startedAt = run?.startedAt;
    expect(startedAt).not.toBeNull();

    store.updateLastStep(id, 120);
    store.setStatus(id, 'paused');
    expect(store.getRun(id)).toMatchObject({ status: 'paused', lastStep: 120 });
    store.markRunning(id, { backend: 'wasm', device: 'cpu', softwareDevice: true });
    expect(store.getRun(id)).toMatchObject({
      status: 'running',
      startedAt,
      backend: 'wasm',
      softwareDevice: true,
    });

    expect(store.finish(id, 'diverged', { divergedAtStep: 130, error: 'loss became NaN' })).toBe(true);
    run = store.getRun(id);
    expect(run).toMatchObject({ status: 'diverged', divergedAtStep: 130, error: 'loss became NaN' });
    expect(run?.endedAt).toBeGreaterThanOrEqual(startedAt ?? 0);
  });

  it('finishes a run only once (a late stop does not overwrite completed)', () => {
    const id = store.createRun(sampleConfig());
    store.markRunning(id, gpu);
    expect(store.finish(id, 'completed')).toBe(true);
    expect(store.finish(id, 'stopped')).toBe(false);
    expect(store.getRun(id)?.status).toBe('completed');
  });

  it('lists newest first, filtered by status, sweep and parent, with limit and offset', () => {
    const a = store.createRun(sampleConfig(), { sweepId: 'sw1' });
    const b = store.createRun(sampleConfig(), { sweepId: 'sw1' });
    const c = store.createRun(sampleConfig(), { parentId: a, resumedFromStep: 50 });
    store.markRunning(b, gpu);
    store.finish(c, 'failed', { error: 'x' });

    expect(store.listRuns().map((r) => r.id)).toEqual([c, b, a]);
    expect(store.listRuns({ status: 'queued' }).map((r) => r.id)).toEqual([a]);
    expect(store.listRuns({ status: ['running', 'failed'] }).map((r) => r.id)).toEqual([c, b]);
    expect(store.listRuns({ sweepId: 'sw1' }).map((r) => r.id)).toEqual([b, a]);
    expect(store.listRuns({ parentId: a })).toMatchObject([{ id: c, resumedFromStep: 50 }]);
    expect(store.listRuns({ limit: 2 }).map((r) => r.id)).toEqual([c, b]);
    expect(store.listRuns({ limit: 2, offset: 2 }).map((r) => r.id)).toEqual([a]);
  });

  it('deletes a run with everything it owns (cascade), and says false for an unknown id', () => {
    const keep = store.createRun(sampleConfig());
    const id = store.createRun(sampleConfig());
    store.appendPoints(id, [
      { series: 'train/loss', step: 1, value: 2 },
      { series: 'test/acc', step: 1, value: 0.5 },
    ]);
    store.appendPoints(keep, [{ series: 'train/loss', step: 1, value: 3 }]);
    store.saveCheckpoint(id, 1, new Uint8Array([1, 2]));
    store.appendLog(id, 'info', 'hello');
    expect(store.deleteRun(id)).toBe(true);
    expect(store.getRun(id)).toBeUndefined();
    expect(store.deleteRun(id)).toBe(false);

    const raw = new Database(path, { readonly: true });
    const count = (sql: string) => raw.prepare(sql).pluck().get();
    expect(count('SELECT count(*) FROM series')).toBe(1);
    expect(count('SELECT count(*) FROM points')).toBe(1);
    expect(count('SELECT count(*) FROM checkpoints')).toBe(0);
    expect(count('SELECT count(*) FROM run_log')).toBe(0);
    raw.close();
    expect(store.readSeries(keep, 'train/loss').values).toEqual(Float64Array.of(3));
  });

  it("deleting a run gives its checkpoints' space back to the file system (incremental auto-vacuum)", () => {
    const id = store.createRun(sampleConfig());
    const pages = () => {
      const raw = new Database(path, { readonly: true });
      const n = raw.pragma('page_count', { simple: true }) as number;
      const free = raw.pragma('freelist_count', { simple: true }) as number;
      raw.close();
      return { n, free };
    };
    const empty = pages().n;
    store.saveCheckpoint(id, 1, new Uint8Array(2 * 1024 * 1024).fill(1));
    expect(pages().n).toBeGreaterThan(empty + 400);
    store.deleteRun(id);
    expect(pages()).toEqual({ n: empty, free: 0 });
  });

  it('unknown run ids give a not-found UserError that says how to list runs', () => {
    const expectNotFound = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).code).toBe('not-found');
        expect((e as UserError).message).toContain('normlab list');
        return;
      }
      throw new Error('expected not-found');
    };
    expectNotFound(() => store.markRunning('nope0000', gpu));
    expectNotFound(() => store.setStatus('nope0000', 'paused'));
    expectNotFound(() => store.finish('nope0000', 'stopped'));
    expectNotFound(() => store.updateLastStep('nope0000', 1));
    expectNotFound(() => store.appendPoints('nope0000', [{ series: 's', step: 0, value: 1 }]));
    expectNotFound(() => store.saveCheckpoint('nope0000', 0, new Uint8Array(1)));
    expectNotFound(() => store.createRun(sampleConfig(), { parentId: 'nope0000' }));
    expect(store.getRun('nope0000')).toBeUndefined();
  });
});
