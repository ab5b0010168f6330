// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { ApiEvent, RunDetail } from '../../../src/shared/api';
import { setClient, type RendererClient } from '../../../src/renderer/src/api/client';
import RunView from '../../../src/renderer/src/views/RunView.vue';
import { createFakeChart } from './fakeChart';
import { runRow } from '../runRows';

vi.mock('../../../src/renderer/src/charts/echartsSetup', () => ({ createChart: () => createFakeChart() }));

const config = {
  model: { network: 'vgg-tiny', normalization: 'batch' },
  data: { dataset: 'cifar10' },
  optimizer: { lr: 0.1 },
  schedule: { steps: 600 },
  probes: {
    ics: { every: 10 },
    landscape: { every: 10 },
    activations: { every: 10 },
    bnGradients: { every: 10 },
  },
};

function detail(status: RunDetail['run']['status']): RunDetail {
  const run = {
    id: 'abc12345',
    name: 'vgg-tiny-bn live',
    config,
    status,
    backend: 'webgpu',
    device: 'llvmpipe',
    softwareDevice: true,
    seed: 3,
    createdAt: 0,
    startedAt: 0,
    endedAt: null,
    lastStep: 120,
    error: null,
    divergedAtStep: null,
    parentId: null,
    resumedFromStep: null,
    sweepId: null,
  };
  return {
    run,
    row: runRow(0, {
      id: run.id,
      name: run.name,
      status,
      batchSize: 64,
      seed: 3,
      totalSteps: 600,
      lastStep: 120,
      backend: 'webgpu',
      device: 'llvmpipe',
      softwareDevice: true,
      createdAt: 0,
      startedAt: 0,
      final: { trainLoss: 1.5, trainAccuracy: 0.4, testAccuracy: null },
    }),
    series: [{ name: 'train/loss', firstStep: 1, lastStep: 120, points: 60, min: 1, max: 2, last: 1.5 }],
    probes: [],
    slices: [],
    checkpoints: [{ step: 100, createdAt: 0, size: 10 }],
  };
}

function fakeClient(status: RunDetail['run']['status']) {
  const calls: { method: string; params: unknown }[] = [];
  const listeners = new Set<(e: ApiEvent) => void>();
  const client = {
    transport: 'ipc',
    connection: () => ({ state: 'open', since: 0, attempts: 0 }),
    onConnection: () => () => undefined,
    close: () => undefined,
    call: async (method: string, params: unknown) => {
      calls.push({ method, params });
      if (method === 'runs.get') return detail(status);
      if (method === 'runs.log')
        return [{ id: 1, runId: 'abc12345', time: 0, level: 'warn', message: 'slow device', data: null }];
      if (method === 'series.read') return { series: [] };
      if (method === 'probes.records') return [];
      if (method === 'runs.resume') return { runId: 'abc12345' };
      return { ok: true };
    },
    onEvent: (l: (e: ApiEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as RendererClient;
  /** The control calls made (pause, continue, stop, resume), in order. */
  const actions = () =>
    calls.filter((c) => ['runs.pause', 'runs.continue', 'runs.stop', 'runs.resume'].includes(c.method));
  return { client, calls, actions, emit: (e: ApiEvent) => listeners.forEach((l) => l(e)) };
}

async function mountView(status: RunDetail['run']['status']) {
  const fake = fakeClient(status);
  setClient(fake.client);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/runs/:id', component: RunView, props: true }],
  });
  await router.push('/runs/abc12345');
  const wrapper = mount(RunView, { props: { id: 'abc12345' }, global: { plugins: [createPinia(), router] } });
  await flushPromises();
  return { wrapper, ...fake };
}

describe('RunView', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => {
    setClient(null);
    vi.useRealTimers();
  });

  it('shows the run, its backend with the software device flagged, its status and its log', async () => {
    const { wrapper } = await mountView('running');
    const text = wrapper.text();
    expect(text).toContain('vgg-tiny-bn live');
    expect(text).toContain('webgpu');
    expect(text).toContain('software device');
    expect(text).toContain('step 120 / 600');
    expect(wrapper.get('[data-testid="run-status"]').text()).toBe('running');
    expect(wrapper.get('[data-testid="run-status"]').attributes('data-status')).toBe('running');
    expect(wrapper.get('[data-testid="run-log"]').text()).toContain('slow device');
    expect(wrapper.find('[data-testid="chart-train-loss"]').exists()).toBe(true);
  });

  it('shows a panel for each probe the run has, and none for the others', async () => {
    const { wrapper } = await mountView('running');
    const text = wrapper.text();
    expect(text).toContain('Loss landscape along the gradient');
    expect(text).toContain('Internal covariate shift');
    expect(text).toContain('Activation distributions');
    expect(text).toContain('Theorem 4.1');
    expect(text).not.toContain('Hessian');
    expect(wrapper.find('[data-testid="chart-loss-band"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="chart-ridge-layer3"]').exists()).toBe(true);
  });

  it('pauses a running run, then continues it', async () => {
    const { wrapper, actions, emit } = await mountView('running');
    expect(wrapper.find('[data-testid="run-resume"]').exists()).toBe(false);
    await wrapper.get('[data-testid="run-pause"]').trigger('click');
    await flushPromises();
    expect(actions().at(-1)).toEqual({ method: 'runs.pause', params: { runId: 'abc12345' } });
    emit({ topic: 'run', runId: 'abc12345', event: { type: 'status', status: 'paused' } });
    await flushPromises();
    expect(wrapper.get('[data-testid="run-status"]').attributes('data-status')).toBe('paused');
    await wrapper.get('[data-testid="run-resume"]').trigger('click');
    await flushPromises();
    expect(actions().at(-1)).toEqual({ method: 'runs.continue', params: { runId: 'abc12345' } });
    await wrapper.get('[data-testid="run-stop"]').trigger('click');
    await flushPromises();
    expect(actions().at(-1)).toEqual({ method: 'runs.stop', params: { runId: 'abc12345' } });
  });

  it('resumes a stopped or interrupted run from its checkpoint', async () => {
    for (const status of ['stopped', 'interrupted'] as const) {
      const { wrapper, actions } = await mountView(status);
      expect(wrapper.find('[data-testid="run-pause"]').exists()).toBe(false);
      expect(wrapper.find('[data-testid="run-stop"]').exists()).toBe(false);
      expect(wrapper.get('[data-testid="run-resume"]').attributes('title')).toContain('step 100');
      await wrapper.get('[data-testid="run-resume"]').trigger('click');
      await flushPromises();
      expect(actions().at(-1)).toEqual({ method: 'runs.resume', params: { runId: 'abc12345' } });
      wrapper.unmount();
    }
  });

  it('offers no control on a completed run', async () => {
    const { wrapper } = await mountView('completed');
    expect(wrapper.find('[data-testid="run-pause"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="run-resume"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="run-stop"]').exists()).toBe(false);
  });
});
