/**
 * The runs that are queued, training or paused, with their progress, for the navigation; and the
 * notifications when a run finishes, fails or diverges. Fed by the 'runs' stream (table changes)
 * and, for each training run, its 'run' stream (progress events).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ApiEvent, RunRow } from '../../../shared/api';
import type { RunStatus } from '../../../shared/runTypes';
import { getClient } from '../api/client';
import { showBrowserNotification } from '../notify/browserNotification';
import { useToastStore, type ToastKind } from './toasts';

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused'];

export interface RunProgress {
  step: number;
  totalSteps: number;
  etaSec: number | null;
  examplesPerSec: number;
}

const NOTIFY: Partial<Record<RunStatus, { kind: ToastKind; verb: string }>> = {
  completed: { kind: 'ok', verb: 'finished' },
  failed: { kind: 'error', verb: 'failed' },
  diverged: { kind: 'warn', verb: 'diverged' },
};

export const useActivityStore = defineStore('activity', () => {
  const client = getClient();
  const toasts = useToastStore();
  const rows = ref<RunRow[]>([]);
  const progress = ref<Record<string, RunProgress>>({});
  const streams = new Set<string>();
  const started = shallowRef(false);
  let navigate: ((path: string) => void) | null = null;

  const active = computed(() =>
    [...rows.value].sort((a, b) => order(a.status) - order(b.status) || a.createdAt - b.createdAt),
  );

  function order(status: RunStatus): number {
    return status === 'running' ? 0 : status === 'paused' ? 1 : 2;
  }

  function watchStream(row: RunRow): void {
    const wants = row.status === 'running' || row.status === 'paused';
    if (wants && !streams.has(row.id)) {
      streams.add(row.id);
      client.call('events.subscribe', { topic: 'run', key: row.id }).catch(() => streams.delete(row.id));
    } else if (!wants && streams.has(row.id)) {
      streams.delete(row.id);
      client.call('events.unsubscribe', { topic: 'run', key: row.id }).catch(() => undefined);
    }
  }

  function upsert(row: RunRow): void {
    const isActive = ACTIVE_STATUSES.includes(row.status);
    const i = rows.value.findIndex((r) => r.id === row.id);
    if (isActive) {
      if (i >= 0) rows.value.splice(i, 1, row);
      else rows.value.push(row);
    } else if (i >= 0) {
      rows.value.splice(i, 1);
      const { [row.id]: _gone, ...rest } = progress.value;
      progress.value = rest;
    }
    watchStream(row);
  }

  function notify(row: RunRow): void {
    const how = NOTIFY[row.status];
    if (!how) return;
    const at = row.lastStep !== null ? ` at step ${row.lastStep}` : '';
    const body =
      row.status === 'completed'
        ? `${row.name}: ${row.totalSteps} steps`
        : row.status === 'diverged'
          ? `${row.name} diverged at step ${row.divergedAtStep ?? row.lastStep ?? '?'}`
          : `${row.name}${at}: ${row.error ?? 'see the run log'}`;
    const to = `/runs/${row.id}`;
    toasts.push({ kind: how.kind, title: `Run ${row.id} ${how.verb}`, body, to });
    showBrowserNotification(`NormLab: run ${how.verb}`, body, () => navigate?.(to));
  }

  function onEvent(event: ApiEvent): void {
    if (event.topic === 'runs') {
      const { change } = event;
      if (change.kind === 'deleted') {
        rows.value = rows.value.filter((r) => r.id !== change.runId);
        if (streams.has(change.runId)) {
          streams.delete(change.runId);
          client.call('events.unsubscribe', { topic: 'run', key: change.runId }).catch(() => undefined);
        }
        return;
      }
      if (!change.row) return;
      const before = rows.value.find((r) => r.id === change.runId);
      upsert(change.row);
      if (change.kind === 'status' && before?.status !== change.row.status) notify(change.row);
      return;
    }
    if (event.topic === 'run') {
      const e = event.event;
      if (e.type === 'progress') {
        progress.value = {
          ...progress.value,
          [event.runId]: {
            step: e.step,
            totalSteps: e.totalSteps,
            etaSec: e.etaSec,
            examplesPerSec: e.examplesPerSec,
          },
        };
      } else if (e.type === 'status') {
        const row = rows.value.find((r) => r.id === event.runId);
        if (row && row.status !== e.status) upsert({ ...row, status: e.status });
      }
    }
  }

  async function reload(): Promise<void> {
    const { rows: list } = await client.call('runs.list', {
      status: [...ACTIVE_STATUSES],
      sort: 'created',
      order: 'asc',
      limit: 500,
    });
    const ids = new Set(list.map((r) => r.id));
    for (const r of [...rows.value]) if (!ids.has(r.id)) upsert({ ...r, status: 'stopped' });
    rows.value = [];
    for (const r of list) upsert(r);
  }

  /** Starts listening (once); `go` opens a route when a browser notification is clicked. */
  async function start(go: (path: string) => void): Promise<void> {
    navigate = go;
    if (started.value) return;
    started.value = true;
    client.onEvent(onEvent);
    let wasOpen = client.connection().state === 'open';
    client.onConnection((s) => {
      if (s.state === 'open' && !wasOpen) void reload().catch(() => undefined);
      wasOpen = s.state === 'open';
    });
    await client.call('events.subscribe', { topic: 'runs' });
    await reload();
  }

  /** Progress of a run: from its stream while it trains, else from its row. */
  function progressOf(row: RunRow): RunProgress {
    return (
      progress.value[row.id] ?? {
        step: row.lastStep ?? 0,
        totalSteps: row.totalSteps,
        etaSec: null,
        examplesPerSec: 0,
      }
    );
  }

  return { active, progress, start, reload, progressOf };
});
