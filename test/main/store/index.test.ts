import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/store/index';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';
import { walFramesAfterLastCommit } from './fixtures/walCommits';

const temp = makeTempDirs();
afterAll(temp.cleanup);

const repoRoot = resolve(__dirname, '../../..');
const gpu = { backend: 'cpu', device: 'test', softwareDevice: false };

/** A pid that certainly belongs to no process: one that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? -1;
}

function setOwner(path: string, id: string, pid: number, host: string): void {
  const raw = new Database(path);
  raw.prepare('UPDATE runs SET owner_pid = ?, owner_host = ? WHERE id = ?').run(pid, host, id);
  raw.close();
}

describe('crash recovery', () => {
  it('a writer SIGKILLed inside a transaction leaves a consistent file with every committed point, its run interrupted', async () => {
    const path = join(temp.dir(), 'crash.sqlite');
    const batch = 2000;
    const batches = 8;
    // Node 22 (the test's own node) with tsx, so the child runs the store's TypeScript as is.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'fixtures', 'writeUntilKilled.ts'),
        path,
        String(batch),
        String(batches),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = once(child, 'exit');
    const wal = `${path}-wal`;
    const spilling = new Promise<void>((done) => {
      let walAtGiant = -1;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (walAtGiant >= 0 || !out.includes('giant\n')) return;
        walAtGiant = statSync(wal).size;
        // Kill once the giant transaction has spilled uncommitted pages into the WAL (it takes
        // seconds to commit, the spill starts when the page cache is full).
        const poll = setInterval(() => {
          if (statSync(wal).size > walAtGiant + 1024 * 1024) {
            clearInterval(poll);
            done();
          }
        }, 5);
      });
    });
    await Promise.race([spilling, exited]);
    child.kill('SIGKILL');
    const [code, signal] = (await exited) as [number | null, string | null];
    expect(err).toBe('');
    expect(out).not.toContain('giant committed');
    expect([code, signal]).toEqual([null, 'SIGKILL']);

    const id = /^run (\w+)$/m.exec(out)?.[1] ?? '';
    const committed = batch * batches;
    expect(out).toContain(`committed ${committed}\n`);
    // The kill tore a transaction: the WAL holds frames after its last commit frame.
    expect(walFramesAfterLastCommit(path)).toBeGreaterThan(0);

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const store = openStore(path);
    try {
      const run = store.getRun(id);
      expect(run?.status).toBe('interrupted');
      expect(run?.lastStep).toBe(committed - 1);
      const loss = store.readSeries(id, 'train/loss');
      const acc = store.readSeries(id, 'train/acc');
      // Every committed point, none of the torn batch.
      expect(loss.steps.length).toBe(committed);
      expect(acc.steps.length).toBe(committed);
      expect(loss.steps.every((s, i) => s === i && loss.values[i] === i / 7)).toBe(true);
      expect(acc.values.every((v, i) => v === -i)).toBe(true);
      // Resumable from its latest checkpoint.
      const ckpt = store.getLatestCheckpoint(id);
      expect(ckpt?.step).toBe(6 * batch - 1);
      expect(ckpt?.bytes.every((x) => x === 5)).toBe(true);
      expect(store.listLog(id).map((e) => e.level)).toEqual(['warn']);
      expect(store.listLog(id)[0]?.message).toContain('Interrupted');
    } finally {
      store.close();
    }
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 60_000);

  it('leaves alone the runs of live processes, and takes those of dead ones or other hosts', async () => {
    const path = join(temp.dir(), 'owners.sqlite');
    const store = openStore(path);
    const mine = store.createRun(sampleConfig());
    const alive = store.createRun(sampleConfig());
    const dead = store.createRun(sampleConfig());
    const paused = store.createRun(sampleConfig());
    const elsewhere = store.createRun(sampleConfig());
    const queued = store.createRun(sampleConfig());
    for (const id of [mine, alive, dead, paused, elsewhere]) store.markRunning(id, gpu);
    store.setStatus(paused, 'paused');

    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      setOwner(path, alive, sleeper.pid ?? -1, hostname());
      const gone = await deadPid();
      setOwner(path, dead, gone, hostname());
      setOwner(path, paused, gone, hostname());
      setOwner(path, elsewhere, process.pid, `${hostname()}-elsewhere`);

      const second = openStore(path); // recovers on open, like a restarted app
      const status = (id: string) => second.getRun(id)?.status;
      expect([mine, alive, dead, paused, elsewhere, queued].map(status)).toEqual([
        'running',
        'running',
        'interrupted',
        'interrupted',
        'interrupted',
        'queued',
      ]);
      expect(second.recoverInterrupted()).toEqual([]);
      expect(second.recoverInterrupted({ force: true })).toEqual([alive]);
      expect(status(mine)).toBe('running');
      second.close();
    } finally {
      sleeper.kill('SIGKILL');
      store.close();
    }
  });

  it('can open without recovering (recover: false)', async () => {
    const path = join(temp.dir(), 'norecover.sqlite');
    const store = openStore(path);
    const id = store.createRun(sampleConfig());
    store.markRunning(id, gpu);
    store.close();
    setOwner(path, id, await deadPid(), hostname());
    const reader = openStore(path, { recover: false });
    expect(reader.getRun(id)?.status).toBe('running');
    reader.close();
  });
});
