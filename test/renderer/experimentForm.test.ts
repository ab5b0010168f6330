// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { PRESETS } from '../../src/shared/presets';
import { ApiCallError, setClient } from '../../src/renderer/src/api/client';
import ExperimentFormView from '../../src/renderer/src/views/ExperimentFormView.vue';
import { fakeClient } from './fakeClient';

const presets = PRESETS.filter((p) => !p.name.includes('/')).map((p) => ({
  name: p.name,
  description: p.description,
  figure: null,
  config: p.config,
  estimateSec: 60,
  estimateBasis: 'test',
}));

async function mountForm(validate: () => never | { config: never }) {
  const client = fakeClient({
    'presets.list': () => presets,
    'figures.list': () => [],
    'app.info': () => ({
      version: '0',
      host: 'serve',
      dbPath: '/db',
      dataDir: '/data',
      settingsFile: '/s.json',
      cpu: 'cpu',
      cores: 2,
      empty: false,
    }),
    'settings.get': () => ({}),
    'backends.list': () => [
      { name: 'wasm', available: true, device: 'cpu (2 threads)', versions: {}, details: {}, probeMs: 1 },
    ],
    'experiments.validate': validate,
    'runs.start': () => ({ runId: 'abc123' }),
  });
  setClient(client);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/new/form', component: ExperimentFormView },
      { path: '/runs/:id', component: { template: '<p>run</p>' } },
    ],
  });
  await router.push('/new/form?preset=vgg-tiny-bn');
  const wrapper = mount(ExperimentFormView, { global: { plugins: [createPinia(), router] } });
  await flushPromises();
  return { wrapper, client, router };
}

afterEach(() => setClient(null));

describe('the New experiment form', () => {
  it('is prefilled from the preset and shows an issue under its field as it is typed', async () => {
    const { wrapper } = await mountForm(() => {
      throw new Error('not called');
    });
    const steps = wrapper.get('#f-schedule-steps');
    expect((steps.element as HTMLInputElement).value).toBe('200');
    await steps.setValue('0');
    expect(wrapper.get('[data-testid="field-schedule.steps"]').text()).toMatch(/Too small/);
    expect(wrapper.get('[data-testid="form-status"]').text()).toMatch(/1 problem/);
    expect(wrapper.get('[data-testid="start-run"]').attributes('disabled')).toBeDefined();
    await steps.setValue('20');
    expect(wrapper.get('[data-testid="form-status"]').text()).toMatch(/valid/);
    // Adam's settings appear only with Adam
    expect(wrapper.find('#f-optimizer-beta1').exists()).toBe(false);
    await wrapper.get('#f-optimizer-name').setValue('adam');
    expect(wrapper.find('#f-optimizer-beta1').exists()).toBe(true);
  });

  it('puts a dataset error from the host under the folder field and starts nothing', async () => {
    const { wrapper, client } = await mountForm(() => {
      throw new ApiCallError('data-missing', '/nowhere/test_batch.bin: not found');
    });
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="field-data.dir"]').text()).toMatch(/test_batch\.bin: not found/);
    expect(wrapper.get('[data-testid="submit-error"]').text()).toMatch(/dataset folder/);
    expect(client.calls.map((c) => c.method)).not.toContain('runs.start');
  });

  it('starts the run with the chosen backend and opens it', async () => {
    const { wrapper, client, router } = await mountForm(() => ({ config: {} as never }));
    await wrapper.get('[data-testid="backend-wasm"] input').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const start = client.calls.find((c) => c.method === 'runs.start');
    expect(start?.params).toMatchObject({ backend: 'wasm', threads: 'auto', config: { backend: 'wasm' } });
    expect((start?.params as { config: { schedule: { steps: number } } }).config.schedule.steps).toBe(200);
    expect(router.currentRoute.value.fullPath).toBe('/runs/abc123');
  });
});
