/**
 * Which process holds a running (or paused) run. Several processes may open one database (the app
 * and a `normlab list` next to it), so a run found `running` is interrupted only if the process that
 * marked it is gone: on this host and no longer alive (signal 0 probes without signalling). A
 * database carried to another host has no live owners. Limitation: if the OS has reused a dead
 * owner's pid, its runs stay `running` until recoverInterrupted({ force: true }).
 */
import { hostname } from 'node:os';

export interface ProcessOwner {
  pid: number;
  host: string;
}

export function currentOwner(): ProcessOwner {
  return { pid: process.pid, host: hostname() };
}

export function isOwnerAlive(owner: { pid: number | null; host: string | null }): boolean {
  if (owner.pid === null || owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OwnedRow {
  id: string;
  owner_pid: number | null;
  owner_host: string | null;
}

/**
 * The rows (runs or jobs marked running) whose owner is gone; `force` takes every owner but this
 * process. The owner each was found with is kept, so the caller's update can re-check it.
 */
export function orphanedRows(
  rows: readonly OwnedRow[],
  options: { force?: boolean } = {},
): { id: string; pid: number | null; host: string | null }[] {
  const self = currentOwner();
  return rows
    .map((row) => ({ id: row.id, pid: row.owner_pid, host: row.owner_host }))
    .filter((row) => {
      const mine = row.pid === self.pid && row.host === self.host;
      return options.force ? !mine : !isOwnerAlive(row);
    });
}
