/**
 * The queue: runs wait their turn on a pool of poolSize slots, in the order they were queued; the
 * pool grows at once when the setting does; and queued runs survive the process: an app or serve
 * that starts adopts those of a dead app or serve, while those of a dead CLI become interrupted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceHost } from '../../../src/main/api/service';
import { readRunRow } from '../../helpers/runDatabase';
import { openHarness } from '../../helpers/serviceHarness';
import { tempDirs } from '../../helpers/tempDirs';
import { waitUntil } from '../../helpers/waitUntil';

const dirs = tempDirs('queue');
afterAll(() => dirs.cleanup());
const repoRoot = resolve(__dirname, '../../..');

const slow = (name: string, steps = 10) => ({
  preset: 'dln25-bn',
  name: `slow ${name}`,
  // The stand-in worker takes its slow steps for a config named "slow".
  overrides: [`schedule.steps=${steps}`, 'schedule.checkpointEvery=0', 'name=slow'],
});

describe('the queue', () => {
  it('trains poolSize runs at a time, in the order they were queued; a larger pool starts waiting runs at once', async () => {
    const h = openHarness(dirs.make());
    try {
      await h.subscribe({ topic: 'runs' });
      const ids: string[] = [];
      for (const name of ['a', 'b', 'c', 'd']) ids.push((await h.call('runs.start', slow(name))).runId);
      const [a, b, c, d] = ids as [string, string, string, string];
      expect(await h.call('queue.get', {})).toEqual({ poolSize: 1, running: [a], queued: [b, c, d] });
      expect((await h.call('runs.log', { runId: c })).map((e) => e.message)).toEqual([
        'Queued; 2 run(s) ahead of it.',
      ]);
      // Stopping a queued run takes it out of the queue at once.
      await h.call('runs.stop', { runId: d });
      expect((await h.call('runs.get', { runId: d })).run.status).toBe('stopped');
      expect((await h.call('queue.get', {})).queued).toEqual([b, c]);

      await h.waitForStatus(a, 'running');
      expect(await h.call('settings.set', { key: 'poolSize', value: 2 })).toEqual({ poolSize: 2 });
      expect(await h.call('queue.get', {})).toEqual({ poolSize: 2, running: [a, b], queued: [c] });
      await h.waitForStatus(c, 'completed');
      await h.waitForStatus(b, 'completed');

      // Every run went queued -> running -> completed, and no two runs beyond the pool ran at once.
      const starts = h.events.flatMap((e) =>
        e.topic === 'runs' && e.change.kind === 'status' && e.change.row?.status === 'running'
          ? [e.change.runId]
          : [],
      );
      expect(starts).toEqual([a, b, c]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it("a training run's last step is stored while it trains, not only when it ends", async () => {
    const h = openHarness(dirs.make());
    try {
      const id = (await h.call('runs.start', slow('stepping', 100_000))).runId;
      await h.waitForStatus(id, 'running');
      let step: number | null = null;
      for (let tries = 0; tries < 200 && !step; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        step = (await h.call('runs.get', { runId: id })).row.lastStep;
      }
      expect(step).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });

  it('shutdown stops the training runs (resumable) and leaves the waiting ones queued', async () => {
    const h = openHarness(dirs.make());
    const long = (await h.call('runs.start', slow('long', 100_000))).runId;
    const waiting = (await h.call('runs.start', slow('waiting'))).runId;
    await h.waitForStatus(long, 'running');
    expect(h.service.activeRuns()).toEqual([long, waiting]);
    await h.close();
    expect(readRunRow(h.db, long)?.status).toBe('stopped');
    expect(readRunRow(h.db, waiting)?.status).toBe('queued');
  });
});

/** Queues three runs in a child service of `host`, kills it while the first trains; returns the ids. */
async function queueAndKill(host: ServiceHost, dir: string): Promise<{ db: string; ids: string[] }> {
  const db = join(dir, 'runs.sqlite');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'queueThenWait.ts'), db, join(dir, 'home'), host],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = once(child, 'exit');
  try {
    const ids = await waitUntil(
      () => /^runs (\S+) (\S+) (\S+)$/m.exec(out)?.slice(1),
      `the child's run ids (${err})`,
    );
    await waitUntil(
      () => (readRunRow(db, ids[0] as string)?.status === 'running' ? true : undefined),
      'the first run training',
    );
    expect(ids.slice(1).map((id) => readRunRow(db, id)?.status)).toEqual(['queued', 'queued']);
    return { db, ids };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

describe('queued runs across a restart', () => {
  it.each(['serve', 'electron'] as const)(
    'a %s that ended with runs queued leaves them to the next app or serve, which trains them in order',
    async (host) => {
      const dir = dirs.make();
      const { ids } = await queueAndKill(host, dir);
      const [first, second, third] = ids as [string, string, string];
      const h = openHarness(dir, { host: 'serve' });
      try {
        // The training run was interrupted (resumable); the waiting ones joined this queue, in order.
        expect((await h.call('runs.get', { runId: first })).run.status).toBe('interrupted');
        expect(await h.call('queue.get', {})).toEqual({ poolSize: 1, running: [second], queued: [third] });
        expect((await h.call('runs.log', { runId: second })).map((e) => e.message)).toContain(
          'Adopted into the queue of this server (the process that queued it ended).',
        );
        await h.waitForStatus(third, 'completed');
        expect((await h.call('runs.get', { runId: second })).run).toMatchObject({
          status: 'completed',
          lastStep: 10,
        });
      } finally {
        await h.close();
      }
    },
    60_000,
  );

  it('a CLI that ended with runs queued leaves them interrupted, resumable, for any host', async () => {
    const dir = dirs.make();
    const { ids } = await queueAndKill('cli', dir);
    const h = openHarness(dir, { host: 'serve' });
    try {
      expect(await h.call('queue.get', {})).toEqual({ poolSize: 1, running: [], queued: [] });
      for (const runId of ids) expect((await h.call('runs.get', { runId })).run.status).toBe('interrupted');
      // A run that never reached a step resumes from the start.
      await h.call('runs.resume', { runId: ids[2] as string });
      await h.waitForStatus(ids[2] as string, 'completed');
    } finally {
      await h.close();
    }
  }, 60_000);
});
