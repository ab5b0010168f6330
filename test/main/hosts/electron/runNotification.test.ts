/** The OS notification for a run that finished, failed or diverged; nothing for other events. */
import { describe, expect, it } from 'vitest';
import type { ApiEvent, RunRow } from '../../../../src/shared/api';
import { runNotice } from '../../../../src/main/hosts/electron/runNotification';

const row = (patch: Partial<RunRow>): RunRow =>
  ({
    id: 'r1',
    name: 'vgg-tiny-bn',
    status: 'completed',
    totalSteps: 100,
    lastStep: 100,
    divergedAtStep: null,
    error: null,
    final: { trainLoss: 0.12345, trainAccuracy: 0.9, testAccuracy: 0.8734 },
    ...patch,
  }) as RunRow;

const status = (r: RunRow): ApiEvent => ({ topic: 'runs', change: { kind: 'status', runId: r.id, row: r } });

describe('run notices', () => {
  it('say how a run ended', () => {
    expect(runNotice(status(row({})))).toEqual({
      runId: 'r1',
      title: 'vgg-tiny-bn finished',
      body: '100 steps, test accuracy 87.3%, train loss 0.1235',
    });
    expect(runNotice(status(row({ status: 'diverged', divergedAtStep: 42 })))).toMatchObject({
      title: 'vgg-tiny-bn diverged',
      body: expect.stringContaining('step 42'),
    });
    expect(runNotice(status(row({ status: 'failed', error: 'out of memory' })))).toMatchObject({
      title: 'vgg-tiny-bn failed',
      body: 'out of memory',
    });
  });

  it('leave out metrics that are missing or not finite', () => {
    const r = row({ final: { trainLoss: Number.NaN, trainAccuracy: null, testAccuracy: null } });
    expect(runNotice(status(r))?.body).toBe('100 steps');
  });

  it('are not shown for other statuses and events', () => {
    for (const s of ['running', 'paused', 'stopped', 'queued', 'interrupted'] as const)
      expect(runNotice(status(row({ status: s })))).toBeNull();
    expect(runNotice({ topic: 'runs', change: { kind: 'updated', runId: 'r1', row: row({}) } })).toBeNull();
    expect(runNotice({ topic: 'download', event: { received: 1, total: 2, done: false } })).toBeNull();
  });
});
