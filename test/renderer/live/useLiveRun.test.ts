// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { mount } from '@vue/test-utils';
import type { ApiEvent, NormLabClient, RunDetail } from '../../../src/shared/api';
import type { MetricPoint } from '../../../src/shared/events';
import { useLiveRun } from '../../../src/renderer/src/components/live/useLiveRun';
import { runRow } from '../runRows';

function detail(over: Partial<RunDetail['run']> = {}): RunDetail {
  const run = {
    id: 'r1',
    name: 'tiny',
    config: {},
    status: 'running' as const,
    backend: 'wasm',
    device: 'cpu',
    softwareDevice: false,
    seed: 0,
    createdAt: 0,
    startedAt: 0,
    endedAt: null,
    lastStep: 40,
    error: null,
    divergedAtStep: null,
    parentId: null,
    resumedFromStep: null,
    sweepId: null,
    ...over,
  };
  return {
    run,
    row: runRow(0, {
      id: 'r1',
      name: 'tiny',
      status: run.status,
      batchSize: 128,
      seed: 0,
      totalSteps: 100,
      lastStep: run.lastStep,
      device: 'cpu',
      createdAt: 0,
      startedAt: 0,
      final: { trainLoss: 2, trainAccuracy: 0.1, testAccuracy: null },
    }),
    series: [{ name: 'train/loss', firstStep: 1, lastStep: 40, points: 40, min: 1, max: 2, last: 1 }],
    probes: [],
    slices: [],
    checkpoints: [],
  };
}

function fakeClient() {
  const listeners = new Set<(e: ApiEvent) => void>();
  const calls: { method: string; params: unknown }[] = [];
  const client: NormLabClient = {
    call: (async (method: string, params: unknown) => {
      calls.push({ method, params });
      if (method === 'runs.get') return detail();
      if (method === 'runs.log')
        return [{ id: 1, runId: 'r1', time: 0, level: 'info', message: 'backend wasm', data: null }];
      return { ok: true };
    }) as NormLabClient['call'],
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const emit = (event: ApiEvent & { topic: 'run' }): void => listeners.forEach((l) => l(event));
  return { client, calls, emit, listeners };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await nextTick();
}

function setup(wrap: (client: NormLabClient) => NormLabClient = (c) => c) {
  const fake = fakeClient();
  let live!: ReturnType<typeof useLiveRun>;
  const wrapper = mount(
    defineComponent({
      setup() {
        live = useLiveRun(wrap(fake.client), ref('r1'));
        return () => h('div');
      },
    }),
  );
  return { fake, live: () => live, wrapper };
}

describe('useLiveRun', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes to the run stream before it reads the run, then loads the run and its log', async () => {
    const { fake, live } = setup();
    await settle();
    expect(fake.calls.map((c) => c.method)).toEqual(['events.subscribe', 'runs.get', 'runs.log']);
    expect(fake.calls[0]?.params).toEqual({ topic: 'run', key: 'r1' });
    expect(live().detail.value?.run.id).toBe('r1');
    expect(live().status.value).toBe('running');
    expect(live().names.value).toEqual(['train/loss']);
    expect(live().log.value.map((e) => e.message)).toEqual(['backend wasm']);
  });

  it('routes metrics to the hub, learns new series names, and keeps log and status current', async () => {
    const { fake, live } = setup();
    await settle();
    const got: MetricPoint[] = [];
    live().context.metrics.listen((points) => got.push(...points));
    const point = { series: 'probe/ics/layer2/l2', step: 41, value: 0.3 };
    fake.emit({ topic: 'run', runId: 'r1', event: { type: 'metrics', points: [point], emittedAt: 5 } });
    fake.emit({ topic: 'run', runId: 'other', event: { type: 'metrics', points: [{ ...point, step: 99 }] } });
    expect(got).toEqual([point]);
    expect(live().names.value).toEqual(['train/loss', 'probe/ics/layer2/l2']);
    fake.emit({
      topic: 'run',
      runId: 'r1',
      event: {
        type: 'log',
        entry: { id: 2, runId: 'r1', time: 1, level: 'warn', message: 'slow', data: null },
      },
    });
    // An entry already shown (the read and the stream overlap) is not shown twice.
    fake.emit({
      topic: 'run',
      runId: 'r1',
      event: {
        type: 'log',
        entry: { id: 1, runId: 'r1', time: 0, level: 'info', message: 'backend wasm', data: null },
      },
    });
    fake.emit({ topic: 'run', runId: 'r1', event: { type: 'status', status: 'paused' } });
    expect(live().log.value.map((e) => e.id)).toEqual([1, 2]);
    expect(live().status.value).toBe('paused');
  });

  it('throttles progress to the header', async () => {
    const { fake, live } = setup();
    await settle();
    for (let k = 41; k <= 60; k++) {
      fake.emit({
        topic: 'run',
        runId: 'r1',
        event: {
          type: 'progress',
          step: k,
          totalSteps: 100,
          loss: 1,
          accuracy: 0.5,
          examplesPerSec: 900,
          etaSec: 10,
        },
      });
    }
    const before = live().progress.value?.step;
    vi.advanceTimersByTime(300);
    expect(before).toBe(40);
    expect(live().progress.value?.step).toBe(60);
  });

  it('re-reads the charts when a resumed run restarts from an earlier checkpoint, and marks divergence', async () => {
    const { fake, live } = setup();
    await settle();
    const g = live().context.generation.value;
    fake.emit({
      topic: 'run',
      runId: 'r1',
      event: {
        type: 'started',
        backend: { name: 'wasm', device: 'cpu', software: false, details: {} },
        fromStep: 20,
        totalSteps: 100,
        parameters: 10,
      },
    });
    expect(live().context.generation.value).toBe(g + 1);
    fake.emit({
      topic: 'run',
      runId: 'r1',
      event: { type: 'ended', outcome: 'diverged', step: 30, divergedAtStep: 30 },
    });
    expect(live().divergedAt.value).toBe(30);
  });

  it('leaves the stream when it goes', async () => {
    const { fake, wrapper } = setup();
    await settle();
    wrapper.unmount();
    await settle();
    expect(fake.calls.at(-1)).toEqual({ method: 'events.unsubscribe', params: { topic: 'run', key: 'r1' } });
    expect(fake.listeners.size).toBe(0);
  });
});

describe('useLiveRun after a reconnect', () => {
  it('reads the run, the log since its last line and the charts again', async () => {
    vi.useFakeTimers();
    const connection: { listener: ((s: { state: string }) => void) | null } = { listener: null };
    const { fake, live } = setup(
      (client) =>
        ({
          ...client,
          onConnection: (l: (s: { state: string }) => void) => {
            connection.listener = l;
            return () => undefined;
          },
        }) as unknown as NormLabClient,
    );
    await settle();
    const generation = live().context.generation.value;
    fake.calls.length = 0;
    connection.listener?.({ state: 'closed' });
    connection.listener?.({ state: 'connecting' });
    connection.listener?.({ state: 'open' });
    await settle();
    expect(fake.calls.map((c) => c.method)).toEqual(['runs.get', 'runs.log']);
    expect(fake.calls[1]?.params).toEqual({ runId: 'r1', afterId: 1 });
    expect(live().context.generation.value).toBe(generation + 1);
    vi.useRealTimers();
  });
});
