/**
 * RunManager with a real store (a temp SQLite file) and real engine workers (src/main/engine/worker.ts
 * under tsx, the default entry under vitest), plus a scripted worker for crashes.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../../../src/shared/config';
import type { RunEvent } from '../../../src/shared/events';
import { RunManager, type RunListener } from '../../../src/main/runs/runManager';
import { defaultWorkerEntry } from '../../../src/main/runs/workerHost';
import { openStore, type Store } from '../../../src/main/store';
import {
  EXIT_AFTER_STEP,
  EXIT_CODE,
  WORKER_EXITS,
  WORKER_THROWS,
  scriptedWorkerEntry,
} from '../../helpers/scriptedWorker';
import { fakeCheckpoint, fakeEngineWorkerEntry } from '../../helpers/fakeEngineWorker';
import { tempDirs } from '../../helpers/tempDirs';
import { waitUntil } from '../../helpers/waitUntil';

/**
 * dln25 on wasm, train/loss at every step: a few milliseconds per step once the worker is up. No
 * probes (not even the norms, 50 points a step), so the batching below is judged on training points.
 */
function dlnConfig(steps: number, extra: { name?: string; checkpointEvery?: number } = {}): ExperimentConfig {
  return experimentSchema.parse({
    name: extra.name ?? '',
    backend: 'wasm',
    model: { network: 'dln25', normalization: 'batch' },
    data: { dataset: 'dln-synthetic', samples: 200 },
    optimizer: { lr: 1e-6 },
    schedule: {
      steps,
      batchSize: 200,
      trainMetricsEvery: 1,
      testMetricsEvery: 0,
      checkpointEvery: extra.checkpointEvery ?? 0,
    },
    probes: { norms: { every: 0 } },
  });
}

/** Records a run's events, for assertions and for waiting on one. */
function recorder(): {
  events: RunEvent[];
  listener: RunListener;
  next: (type: RunEvent['type']) => Promise<RunEvent>;
} {
  const events: RunEvent[] = [];
  return {
    events,
    listener: (e) => events.push(e),
    next: (type) => waitUntil(() => events.find((e) => e.type === type), `a ${type} event`),
  };
}

const dirs = tempDirs('run-manager');
let store: Store;

beforeAll(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterAll(() => {
  store.close();
  dirs.cleanup();
});

describe('workers', () => {
  it('under vitest, the default entry is worker.ts run through tsx', () => {
    const entry = defaultWorkerEntry();
    expect(entry.path).toMatch(/src[/\\]main[/\\]engine[/\\]worker\.ts$/);
    expect(entry.execArgv).toEqual(['--import', 'tsx']);
  });
});

describe('a run', () => {
  it('completes, storing its status, checkpoints and every point, written in batches', async () => {
    const maxPoints = 8;
    const manager = new RunManager(store, { flushPoints: maxPoints, flushDelayMs: 60_000 });
    const append = vi.spyOn(store, 'appendPoints');
    const config = dlnConfig(12, { checkpointEvery: 5 });
    const runId = store.createRun(config);
    const rec = recorder();
    const run = manager.start(runId, config, { listener: rec.listener });
    expect(manager.get(runId)).toBe(run);

    const startedAt = Date.now();
    const result = await run.done;
    expect(result).toEqual({ runId, outcome: 'completed', step: 12 });
    expect(manager.get(runId)).toBeUndefined();
    // Metrics carry the moment they left the worker (the live view's latency benchmark reads it).
    for (const e of rec.events) {
      if (e.type !== 'metrics') continue;
      expect(e.emittedAt).toBeGreaterThanOrEqual(startedAt);
      expect(e.emittedAt).toBeLessThanOrEqual(Date.now());
    }
    expect(store.getRun(runId)).toMatchObject({
      status: 'completed',
      backend: 'wasm',
      lastStep: 12,
      error: null,
    });
    expect(store.listCheckpoints(runId).map((c) => c.step)).toEqual([5, 10, 12]);
    expect(rec.events[0]).toMatchObject({ type: 'started', fromStep: 0, totalSteps: 12 });
    expect(rec.events.at(-1)).toEqual({ type: 'ended', outcome: 'completed', step: 12 });

    // Every point the worker reported is stored, to the bit.
    const reported = rec.events.flatMap((e) => (e.type === 'metrics' ? e.points : []));
    const loss = reported.filter((p) => p.series === 'train/loss');
    const stored = store.readSeries(runId, 'train/loss');
    expect(Array.from(stored.steps)).toEqual(loss.map((p) => p.step));
    expect(Array.from(stored.values)).toEqual(loss.map((p) => p.value));

    // ... through few transactions: batches of at most maxPoints, flushed before each checkpoint.
    const batches = append.mock.calls.filter(([id]) => id === runId).map(([, points]) => points.length);
    const metricEvents = rec.events.filter((e) => e.type === 'metrics').length;
    expect(batches.reduce((a, b) => a + b, 0)).toBe(reported.length);
    expect(Math.max(...batches)).toBeLessThanOrEqual(maxPoints);
    expect(batches.length).toBeLessThan(metricEvents / 2);
    append.mockRestore();
  });

  it('pauses, resumes and stops through its handle', async () => {
    const manager = new RunManager(store);
    const config = dlnConfig(100_000);
    const runId = store.createRun(config);
    const rec = recorder();
    const run = manager.start(runId, config, { listener: rec.listener });
    await waitUntil(() => rec.events.find((e) => e.type === 'progress' && e.step >= 2), 'the second step');

    run.pause();
    const paused = (await rec.next('paused')) as Extract<RunEvent, { type: 'paused' }>;
    // The trainer checkpoints when it pauses; the store has it once the worker's message arrives.
    await waitUntil(() => store.getLatestCheckpoint(runId), 'the pause checkpoint');
    expect(store.getRun(runId)?.status).toBe('paused');
    expect(store.getLatestCheckpoint(runId)?.step).toBe(paused.step);
    const eventsWhilePaused = rec.events.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(rec.events.length).toBe(eventsWhilePaused);

    run.resume();
    await rec.next('resumed');
    expect(store.getRun(runId)?.status).toBe('running');
    await waitUntil(
      () => rec.events.find((e) => e.type === 'progress' && e.step > paused.step + 1),
      'steps after resuming',
    );

    run.stop();
    const result = await run.done;
    expect(result.outcome).toBe('stopped');
    expect(result.step).toBeGreaterThan(paused.step);
    expect(result.step).toBeLessThan(100_000);
    expect(store.getRun(runId)).toMatchObject({ status: 'stopped', lastStep: result.step });
    expect(store.getLatestCheckpoint(runId)?.step).toBe(result.step);
    expect(Array.from(store.readSeries(runId, 'train/loss').steps).at(-1)).toBe(result.step);
  });
});

describe('a crashing worker', () => {
  it('that throws ends the run failed with the error; the same manager then runs another run', async () => {
    const manager = new RunManager(store, { workerEntry: scriptedWorkerEntry() });
    const bad = dlnConfig(5, { name: WORKER_THROWS });
    const badId = store.createRun(bad);
    const badRec = recorder();
    const failed = await manager.start(badId, bad, { listener: badRec.listener }).done;
    expect(failed.outcome).toBe('failed');
    expect(failed.error?.message).toMatch(/the engine worker crashed: scripted worker failure/);
    expect(store.getRun(badId)).toMatchObject({ status: 'failed' });
    expect(store.getRun(badId)?.error).toMatch(/scripted worker failure/);
    expect(badRec.events.at(-1)).toMatchObject({ type: 'ended', outcome: 'failed' });

    const good = dlnConfig(3);
    const goodId = store.createRun(good);
    const ok = await manager.start(goodId, good).done;
    expect(ok).toEqual({ runId: goodId, outcome: 'completed', step: 3 });
    expect(store.getRun(goodId)).toMatchObject({ status: 'completed', backend: 'wasm', lastStep: 3 });
  });

  it('that exits mid-run ends the run failed, keeping the points and checkpoint it reported', async () => {
    const manager = new RunManager(store, { workerEntry: scriptedWorkerEntry() });
    const config = dlnConfig(10, { name: WORKER_EXITS });
    const runId = store.createRun(config);
    const result = await manager.start(runId, config).done;
    expect(result).toMatchObject({ outcome: 'failed', step: EXIT_AFTER_STEP });
    expect(result.error?.message).toMatch(`exited unexpectedly (exit code ${EXIT_CODE})`);
    expect(store.getRun(runId)).toMatchObject({ status: 'failed', lastStep: EXIT_AFTER_STEP });
    expect(Array.from(store.readSeries(runId, 'train/loss').steps)).toEqual([1, 2, 3]);
    expect(store.listCheckpoints(runId).map((c) => c.step)).toEqual([2]);
  });
});

describe('the queue', () => {
  it('runs one at a time: a second run waits queued, then runs; a stopped queued run ends at once', async () => {
    const manager = new RunManager(store);
    const order: string[] = [];
    const start = (label: string, steps: number): { id: string; done: Promise<unknown> } => {
      const config = dlnConfig(steps);
      const id = store.createRun(config);
      const run = manager.start(id, config, { listener: (e) => order.push(`${label}:${e.type}`) });
      return { id, done: run.done };
    };
    const a = start('a', 4);
    const b = start('b', 3);
    const c = start('c', 3);

    await waitUntil(() => order.find((e) => e === 'a:progress'), 'run a training');
    expect(store.getRun(b.id)).toMatchObject({ status: 'queued', startedAt: null });
    manager.get(c.id)?.stop();
    expect(await c.done).toEqual({ runId: c.id, outcome: 'stopped', step: 0 });
    expect(store.getRun(c.id)).toMatchObject({ status: 'stopped', startedAt: null });
    expect(order).toContain('c:ended');
    expect(store.getRun(a.id)?.status).toBe('running');

    await Promise.all([a.done, b.done]);
    expect(order.indexOf('b:started')).toBeGreaterThan(order.indexOf('a:ended'));
    expect(order.filter((e) => e.startsWith('c:'))).toEqual(['c:ended']);
    expect(store.getRun(a.id)?.status).toBe('completed');
    expect(store.getRun(b.id)?.status).toBe('completed');
  });
});

describe('resume', () => {
  /** A fresh manager with the stand-in worker (fakeEngineWorker.ts): runs take milliseconds. */
  const fake = () => new RunManager(store, { workerEntry: fakeEngineWorkerEntry() });

  function setOwner(id: string, pid: number, kind: string): void {
    const raw = new Database(store.path);
    raw
      .prepare('UPDATE runs SET owner_pid = ?, owner_host = ?, owner_kind = ? WHERE id = ?')
      .run(pid, hostname(), kind, id);
    raw.close();
  }

  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    return child.pid ?? -1;
  }

  it('takes over a run whose owner died while it was queued or running, from its latest checkpoint', async () => {
    const manager = fake();
    const gone = await deadPid();
    for (const status of ['queued', 'running'] as const) {
      const config = dlnConfig(8);
      const id = store.createRun(config);
      if (status === 'running') {
        store.markRunning(id, { backend: 'cpu', device: 'fake', softwareDevice: false });
        store.saveCheckpoint(id, 4, fakeCheckpoint(4));
        store.updateLastStep(id, 5);
      }
      setOwner(id, gone, 'electron');
      const rec = recorder();
      const result = await manager.resume(id, config, { listener: rec.listener }).done;
      expect(result).toEqual({ runId: id, outcome: 'completed', step: 8 });
      expect(rec.events[0]).toMatchObject({ type: 'started', fromStep: status === 'running' ? 4 : 0 });
      expect(store.listLog(id).map((e) => e.message)).toContain(
        status === 'queued'
          ? 'Interrupted: the process that had queued it ended (last step unknown). Resume it from its latest checkpoint.'
          : 'Interrupted: the process that was running it ended (last step 5). Resume it from its latest checkpoint.',
      );
    }
  });

  it('refuses a run another live process holds, a completed one, and one with steps but no checkpoint', async () => {
    const manager = fake();
    const config = dlnConfig(3);
    const held = store.createRun(config);
    setOwner(held, process.ppid, 'serve');
    expect(() => manager.resume(held, config)).toThrow(
      new RegExp(
        `^run ${held} is queued in another process \\(pid ${process.ppid}, normlab serve\\); stop it there first$`,
      ),
    );
    const done = store.createRun(config);
    store.finish(done, 'completed');
    expect(() => manager.resume(done, config)).toThrow(/already completed all its steps/);
    const bare = store.createRun(config);
    store.updateLastStep(bare, 2);
    store.finish(bare, 'failed', { error: 'x' });
    expect(() => manager.resume(bare, config)).toThrow(/has no checkpoint to resume from/);
    // Nothing was queued by any of them.
    expect(manager.snapshot()).toEqual({ poolSize: 1, running: [], queued: [] });
  });
});
