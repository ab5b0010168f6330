// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunQuery } from '../../src/shared/api';
import { setClient } from '../../src/renderer/src/api/client';
import {
  createRunsTable,
  PAGE_SIZE,
  prefetchRunsTable,
} from '../../src/renderer/src/components/runs/runsTable';
import { fakeClient } from './fakeClient';
import { runRow } from './runRows';

function serverWith(total: number) {
  const rows = Array.from({ length: total }, (_, i) => runRow(i));
  const client = fakeClient({
    'runs.list': (q: RunQuery) => {
      const offset = q.offset ?? 0;
      return { total: rows.length, rows: rows.slice(offset, offset + (q.limit ?? 200)) };
    },
  });
  setClient(client);
  return { client, rows };
}

afterEach(() => {
  setClient(null);
  vi.useRealTimers();
});

describe('the runs table data', () => {
  it('reads the first page, then the pages scrolled into view, each once', async () => {
    const { client } = serverWith(1000);
    const table = createRunsTable((e) => {
      throw e;
    });
    await table.reload();
    expect(table.total.value).toBe(1000);
    expect(table.rows.value.length).toBe(1000);
    expect(table.rows.value[0]?.id).toBe('run0000');
    expect(table.rows.value[PAGE_SIZE]).toBeUndefined();
    table.ensureRange(590, 620);
    table.ensureRange(595, 625);
    await vi.waitFor(() => expect(table.rows.value[600]?.id).toBe('run0600'));
    const lists = client.calls
      .filter((c) => c.method === 'runs.list')
      .map((c) => (c.params as RunQuery).offset);
    expect(lists).toEqual([0, 400, 600]);
  });

  it('sends its filters and sort to the host', async () => {
    const { client } = serverWith(10);
    const table = createRunsTable(() => undefined);
    Object.assign(table.filters, {
      search: ' bn ',
      status: ['running'],
      tags: ['keep'],
      normalization: 'batch',
    });
    table.sortBy('lr');
    await table.reload();
    expect(client.calls.at(-1)?.params).toEqual({
      search: 'bn',
      status: ['running'],
      tags: ['keep'],
      normalization: 'batch',
      sort: 'lr',
      order: 'asc',
      offset: 0,
      limit: PAGE_SIZE,
    });
    table.sortBy('lr');
    expect(table.filters.order).toBe('desc');
  });

  it('patches a changed row in place and reads again when runs come or go', async () => {
    vi.useFakeTimers();
    const { client, rows } = serverWith(3);
    const table = createRunsTable(() => undefined);
    await table.reload();
    table.ensureRange(0, 2);
    table.onEvent({
      topic: 'runs',
      change: { kind: 'updated', runId: 'run0001', row: runRow(1, { tags: ['keep'] }) },
    });
    expect(table.rows.value[1]?.tags).toEqual(['keep']);
    const before = client.calls.length;
    rows.unshift(runRow(99));
    table.onEvent({ topic: 'runs', change: { kind: 'created', runId: 'run0099', row: runRow(99) } });
    table.onEvent({ topic: 'runs', change: { kind: 'created', runId: 'run0098', row: runRow(98) } });
    await vi.advanceTimersByTimeAsync(300);
    expect(client.calls.length).toBe(before + 1);
    expect(table.total.value).toBe(4);
    expect(table.rows.value[0]?.id).toBe('run0099');
  });

  it('uses the first page asked for before the view loaded', async () => {
    const { client } = serverWith(5);
    prefetchRunsTable();
    const table = createRunsTable(() => undefined);
    await table.reload();
    expect(client.calls.filter((c) => c.method === 'runs.list')).toHaveLength(1);
    expect(table.rows.value).toHaveLength(5);
  });
});
