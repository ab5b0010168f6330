/**
 * Recovery of runs whose owning process is gone, whatever their status: queued runs of a dead CLI
 * become interrupted, those of a dead app or serve wait for the next one to adopt them, and a killed
 * process that is still a zombie counts as dead.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type OwnerKind } from '../../../src/main/store/index';
import { isOwnerAlive, procState } from '../../../src/main/store/processOwner';
import { waitUntil } from '../../helpers/waitUntil';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

/** A pid that certainly belongs to no process: one that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? -1;
}

function setOwner(path: string, id: string, pid: number | null, kind: OwnerKind | null): void {
  const raw = new Database(path);
  raw
    .prepare('UPDATE runs SET owner_pid = ?, owner_host = ?, owner_kind = ? WHERE id = ?')
    .run(pid, pid === null ? null : hostname(), kind, id);
  raw.close();
}

describe('zombies', () => {
  it.runIf(process.platform === 'linux')(
    'a killed process not yet reaped by its parent is dead, though signal 0 still reaches it',
    async () => {
      // The shell's background child exits at once; the shell then becomes `sleep`, which never
      // waits, so the child stays a zombie for as long as the sleep lasts.
      const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      try {
        let out = '';
        parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
        const pid = Number(await waitUntil(() => /^(\d+)\n/.exec(out)?.[1], 'the child pid'));
        await waitUntil(() => (procState(pid) === 'Z' ? true : undefined), 'the zombie');
        expect(() => process.kill(pid, 0)).not.toThrow();
        expect(isOwnerAlive({ pid, host: hostname() })).toBe(false);
        expect(isOwnerAlive({ pid: parent.pid ?? -1, host: hostname() })).toBe(true);
        expect(procState(await deadPid())).toBeUndefined();
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );
});

describe('queued runs of a process that is gone', () => {
  it('become interrupted for a dead CLI (or no owner); wait for adoption for a dead app or serve', async () => {
    const path = join(temp.dir(), 'queued.sqlite');
    const store = openStore(path);
    const [cli, serve, app, ownerless, mine] = [1, 2, 3, 4, 5].map(() => store.createRun(sampleConfig()));
    store.close();
    const gone = await deadPid();
    setOwner(path, cli as string, gone, 'cli');
    setOwner(path, serve as string, gone, 'serve');
    setOwner(path, app as string, gone, 'electron');
    setOwner(path, ownerless as string, null, null);

    const cliStore = openStore(path);
    const status = (id: string | undefined) => cliStore.getRun(id as string)?.status;
    expect([cli, serve, app, ownerless, mine].map(status)).toEqual([
      'interrupted',
      'queued',
      'queued',
      'interrupted',
      'queued',
    ]);
    expect(cliStore.listLog(cli as string)[0]?.message).toMatch(
      /^Interrupted: the process that had queued it ended/,
    );
    // A CLI adopts nothing: the runs stay for an app or serve.
    expect(cliStore.adoptQueuedRuns()).toEqual([]);
    cliStore.close();

    const serveStore = openStore(path, { ownerKind: 'serve' });
    expect(serveStore.adoptQueuedRuns()).toEqual([serve, app]);
    expect(serveStore.getRunOwner(serve as string)).toEqual({
      pid: process.pid,
      host: hostname(),
      kind: 'serve',
    });
    expect(serveStore.listLog(app as string).at(-1)?.message).toMatch(
      /^Adopted into the queue of this server/,
    );
    // Adopted once: they are this process's now.
    expect(serveStore.adoptQueuedRuns()).toEqual([]);
    expect(serveStore.ownedElsewhere(serve as string)).toBe(false);
    serveStore.close();
  });

  it("any live run of a dead owner can be made recoverable on demand (resume of a dead app's queued run)", async () => {
    const path = join(temp.dir(), 'ondemand.sqlite');
    const store = openStore(path);
    const queued = store.createRun(sampleConfig());
    const running = store.createRun(sampleConfig());
    store.markRunning(running, { backend: 'cpu', device: 'x', softwareDevice: false });
    const gone = await deadPid();
    setOwner(path, queued, gone, 'electron');
    expect(store.ownedElsewhere(queued)).toBe(false);
    expect(store.recoverRun(queued)).toBe(true);
    expect(store.getRun(queued)?.status).toBe('interrupted');
    // Its own live run, and a finished one, are left alone.
    expect(store.recoverRun(running)).toBe(false);
    expect(store.getRun(running)?.status).toBe('running');
    store.close();
  });

  it('a run owned by another live process is owned elsewhere', () => {
    const path = join(temp.dir(), 'elsewhere.sqlite');
    const store = openStore(path);
    const id = store.createRun(sampleConfig());
    expect(store.ownedElsewhere(id)).toBe(false);
    setOwner(path, id, process.ppid, 'serve');
    expect(store.ownedElsewhere(id)).toBe(true);
    expect(store.recoverRun(id)).toBe(false);
    store.close();
  });
});
