// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunQuery } from '../../src/shared/api';
import { setClient } from '../../src/renderer/src/api/client';
import { useActivityStore } from '../../src/renderer/src/stores/activity';
import { useToastStore } from '../../src/renderer/src/stores/toasts';
import { fakeClient } from './fakeClient';
import { runRow } from './runRows';

describe('the active runs and their notifications', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => setClient(null));

  it('lists active runs, follows a training run and tells when one ends', async () => {
    const running = runRow(1, { status: 'running', lastStep: 10 });
    const queued = runRow(2, { status: 'queued', lastStep: null });
    const client = fakeClient({
      'runs.list': (q: RunQuery) => ({
        total: 2,
        rows: q.status?.includes('running') ? [running, queued] : [],
      }),
    });
    setClient(client);
    const activity = useActivityStore();
    const toasts = useToastStore();
    await activity.start(() => undefined);
    expect(activity.active.map((r) => r.id)).toEqual([running.id, queued.id]);
    expect(client.calls).toContainEqual({ method: 'events.subscribe', params: { topic: 'runs' } });
    expect(client.calls).toContainEqual({
      method: 'events.subscribe',
      params: { topic: 'run', key: running.id },
    });

    client.emit({
      topic: 'run',
      runId: running.id,
      event: {
        type: 'progress',
        step: 50,
        totalSteps: 200,
        loss: 1,
        accuracy: 0.5,
        examplesPerSec: 100,
        etaSec: 30,
      },
    });
    expect(activity.progressOf(running)).toMatchObject({ step: 50, etaSec: 30 });

    client.emit({
      topic: 'runs',
      change: {
        kind: 'status',
        runId: running.id,
        row: { ...running, status: 'diverged', divergedAtStep: 77 },
      },
    });
    expect(activity.active.map((r) => r.id)).toEqual([queued.id]);
    expect(toasts.toasts).toHaveLength(1);
    expect(toasts.toasts[0]).toMatchObject({
      kind: 'warn',
      title: `Run ${running.id} diverged`,
      to: `/runs/${running.id}`,
    });
    expect(toasts.toasts[0]?.body).toMatch(/step 77/);
    expect(client.calls).toContainEqual({
      method: 'events.unsubscribe',
      params: { topic: 'run', key: running.id },
    });

    client.emit({
      topic: 'runs',
      change: { kind: 'status', runId: queued.id, row: { ...queued, status: 'running' } },
    });
    client.emit({
      topic: 'runs',
      change: { kind: 'status', runId: queued.id, row: { ...queued, status: 'completed' } },
    });
    expect(toasts.toasts.at(-1)).toMatchObject({ kind: 'ok', title: `Run ${queued.id} finished` });
    // a stop is the user's own doing: no notification
    client.emit({
      topic: 'runs',
      change: { kind: 'created', runId: 'x', row: runRow(3, { id: 'x', status: 'queued' }) },
    });
    client.emit({
      topic: 'runs',
      change: { kind: 'status', runId: 'x', row: runRow(3, { id: 'x', status: 'stopped' }) },
    });
    expect(toasts.toasts).toHaveLength(2);
    expect(activity.active).toEqual([]);
  });
});
