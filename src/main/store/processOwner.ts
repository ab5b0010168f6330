/**
 * Which process holds a queued, running (or paused) run. Several processes may open one database (the
 * app and a `normlab list` next to it), so a run found live is recovered only if the process that
 * marked it is gone: on this host and no longer alive. A database carried to another host has no live
 * owners. Limitation: if the OS has reused a dead owner's pid, its runs stay live until
 * recoverInterrupted({ force: true }).
 *
 * "Alive" is signal 0 (the pid exists) and, on Linux, a /proc state other than zombie: a killed
 * process keeps its pid as a zombie until its parent reaps it, which may take a while (or never, under
 * a parent that does not wait), and a zombie runs nothing.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The kind of host that owns a run: an app or serve adopts the queued runs of a dead one of these. */
export const OWNER_KINDS = ['cli', 'serve', 'electron'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

/** Kinds whose orphaned queued runs wait for the next app or serve to adopt them. */
export const ADOPTING_KINDS: readonly OwnerKind[] = ['serve', 'electron'];

export interface ProcessOwner {
  pid: number;
  host: string;
}

export function currentOwner(): ProcessOwner {
  return { pid: process.pid, host: hostname() };
}

/**
 * The state letter of /proc/PID/stat ('R', 'S', 'Z', ...), or undefined where there is no /proc (not
 * Linux) or no such process. The command name before it is in parentheses and may itself hold spaces
 * and parentheses, so the state is read after the last ')'.
 */
export function procState(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const close = stat.lastIndexOf(')');
  return close < 0 ? undefined : stat.slice(close + 2, close + 3);
}

export function isOwnerAlive(owner: { pid: number | null; host: string | null }): boolean {
  if (owner.pid === null || owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // Z: a zombie (exited, not yet reaped); X: dead, being reaped.
  const state = procState(owner.pid);
  return state !== 'Z' && state !== 'X';
}

export interface OwnedRow {
  id: string;
  owner_pid: number | null;
  owner_host: string | null;
}

export interface OwnedRef {
  id: string;
  pid: number | null;
  host: string | null;
}

/**
 * The rows (runs or jobs marked live) whose owner is gone; `force` takes every owner but this
 * process. The owner each was found with is kept, so the caller's update can re-check it.
 */
export function orphanedRows<R extends OwnedRow>(
  rows: readonly R[],
  options: { force?: boolean } = {},
): (OwnedRef & { row: R })[] {
  const self = currentOwner();
  return rows
    .map((row) => ({ id: row.id, pid: row.owner_pid, host: row.owner_host, row }))
    .filter((ref) => {
      const mine = ref.pid === self.pid && ref.host === self.host;
      return options.force ? !mine : !isOwnerAlive(ref);
    });
}
