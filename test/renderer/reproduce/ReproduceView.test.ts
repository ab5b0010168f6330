// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { defineComponent, h } from 'vue';
import type { ApiParams } from '../../../src/shared/api';
import type { TemplateSpec } from '../../../src/shared/plots';
import type { ReproReport, ReproScale } from '../../../src/shared/reproduce';
import { ApiCallError, setClient } from '../../../src/renderer/src/api/client';
import ReproduceView from '../../../src/renderer/src/views/ReproduceView.vue';
import { useActivityStore } from '../../../src/renderer/src/stores/activity';
import { charts, createFakeChart } from '../live/fakeChart';
import { fakeClient, type FakeClient, type Handlers } from '../fakeClient';
import { runRow } from '../runRows';
import {
  CATALOG,
  FIG4_CLAIM,
  planFixture,
  resultsFixture,
  templateFigure,
  type PlanSetup,
} from './reproFixtures';

vi.mock('../../../src/renderer/src/charts/echartsSetup', () => ({ createChart: () => createFakeChart() }));

interface Host {
  /** The plan's run states and ids, changed by tests as runs progress. */
  runs: PlanSetup;
  plans: ApiParams<'reproduce.plan'>[];
  results: ApiParams<'reproduce.results'>[];
  starts: ApiParams<'reproduce.start'>[];
  reports: ApiParams<'reproduce.report'>[];
  builds: ApiParams<'figures.build'>[];
}

interface Setup extends Host {
  client: FakeClient;
  router: ReturnType<typeof createRouter>;
  wrapper: ReturnType<typeof mount>;
  text: () => string;
}

const REPORT: ReproReport = {
  dir: '/home/me/.normlab/reports/repro-smoke-spec',
  index: '/home/me/.normlab/reports/repro-smoke-spec/index.html',
  files: ['index.html', 'results.json', 'fig4.svg'],
  claims: [{ claim: 'fig4-landscape', verdict: 'inconclusive' }],
  complete: false,
};

async function setup(query: string, runs: PlanSetup, extra: Handlers = {}): Promise<Setup> {
  const host: Host = { runs, plans: [], results: [], starts: [], reports: [], builds: [] };
  const plan = (p: { scale: ReproScale; only?: string | undefined; reading?: string | undefined }) =>
    planFixture(p.scale, { ...host.runs, only: p.only ?? null, reading: p.reading ?? 'spec' });
  const client = fakeClient({
    'reproduce.catalog': () => CATALOG,
    'reproduce.plan': (p) => {
      host.plans.push(p);
      return plan(p);
    },
    'reproduce.results': (p) => {
      host.results.push(p);
      return resultsFixture(plan(p));
    },
    'reproduce.start': (p) => {
      host.starts.push(p);
      return { tag: 'repro:smoke:spec', queued: ['n1', 'n2'], resumed: ['n2'], reused: [], elsewhere: [] };
    },
    'reproduce.report': (p) => {
      host.reports.push(p);
      return REPORT;
    },
    'figures.build': (p) => {
      host.builds.push(p);
      return templateFigure(p.spec as TemplateSpec);
    },
    'settings.get': () => ({}),
    'backends.list': () => [
      { name: 'wasm', available: true, device: 'cpu (2 threads)', versions: {}, details: {}, probeMs: 5 },
      { name: 'cpu', available: true, device: 'cpu', versions: {}, details: {}, probeMs: 1 },
    ],
    ...extra,
  });
  setClient(client);
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/reproduce', component: ReproduceView },
      { path: '/runs/:id', component: { render: () => null } },
      { path: '/figures/:template', component: { render: () => null } },
    ],
  });
  await router.push(`/reproduce?${query}`);
  const wrapper = mount(defineComponent({ render: () => h(RouterView) }), {
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  });
  await settle();
  // The host's own object: a test that changes `runs` changes what the next plan answers.
  return Object.assign(host, { client, router, wrapper, text: () => wrapper.text() });
}

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await flushPromises();
    await vi.advanceTimersByTimeAsync(0);
  }
}

function rows(s: Setup) {
  return s.wrapper.findAll('[data-testid="plan-run"]').map((r) => ({
    name: r.get('td').text(),
    state: r.attributes('data-state'),
    badge: r.get('[data-testid="plan-state"]').text(),
    estimate: r.get('[data-testid="plan-estimate"]').text(),
    basis: r.get('[data-testid="plan-estimate"]').attributes('title'),
    link: r.find('a').exists() ? r.get('a').attributes('href') : null,
  }));
}

function statusEvent(runId: string, status: 'running' | 'completed'): Parameters<FakeClient['emit']>[0] {
  return {
    topic: 'runs',
    change: { kind: 'status', runId, row: runRow(0, { id: runId, status, tags: ['repro:smoke:spec'] }) },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  charts.length = 0;
});
afterEach(() => {
  document.body.innerHTML = '';
  setClient(null);
  vi.useRealTimers();
});

describe('the reproduction view', () => {
  it('plans the options in the URL, and each control changes the plan asked for and the URL', async () => {
    const s = await setup('scale=smoke&only=fig4', { states: ['to-run', 'to-run'] });
    expect(s.plans.at(-1)).toEqual({ scale: 'smoke', only: 'fig4' });
    expect(s.results.at(-1)).toEqual({ scale: 'smoke', only: 'fig4' });
    expect(s.wrapper.get('[data-testid="repro-scale-smoke"]').attributes('aria-checked')).toBe('true');
    expect(s.wrapper.get('[data-testid="repro-departures"]').text()).toContain('a check of the pipeline');

    await s.wrapper.get('[data-testid="repro-scale-quick"]').trigger('click');
    await settle();
    expect(s.router.currentRoute.value.query).toEqual({ scale: 'quick', only: 'fig4' });
    expect(s.plans.at(-1)).toEqual({ scale: 'quick', only: 'fig4' });
    expect(s.wrapper.get('[data-testid="repro-departures"]').text()).toContain('width 1/8');

    await s.wrapper.get('[data-testid="repro-only"]').setValue('');
    await settle();
    expect(s.router.currentRoute.value.query).toEqual({ scale: 'quick' });
    expect(s.plans.at(-1)).toEqual({ scale: 'quick' });

    await s.wrapper.get('[data-testid="repro-reading"]').setValue('dln-mean-loss');
    await settle();
    expect(s.router.currentRoute.value.query).toEqual({ scale: 'quick', reading: 'dln-mean-loss' });
    expect(s.plans.at(-1)).toEqual({ scale: 'quick', reading: 'dln-mean-loss' });
    expect(s.results.at(-1)).toEqual({ scale: 'quick', reading: 'dln-mean-loss' });
    const description = s.wrapper.get('[data-testid="repro-reading-description"]').text();
    expect(description).toContain('averaged over samples');
    expect(description).toContain('data.lossReduction=sample-mean');
  });

  it('opens at the cpu scale, and switches to another scale from its total', async () => {
    const s = await setup('', { states: [] });
    expect(s.plans.at(-1)).toEqual({ scale: 'cpu' });
    const others = s.wrapper.get('[data-testid="repro-other-scales"]').text();
    expect(others).toContain('smoke: 4 runs, 4 runs without a timing here');
    expect(others).toContain('paper: 12 runs');
    await s.wrapper.get('[data-testid="repro-other-smoke"]').trigger('click');
    await settle();
    expect(s.router.currentRoute.value.query).toEqual({ scale: 'smoke' });
    expect(s.plans.at(-1)).toEqual({ scale: 'smoke' });
  });

  it("lists the plan's runs with their states, links, estimates, and why some have none", async () => {
    const s = await setup(
      'scale=cpu',
      {
        states: ['done', 'active', 'resumable', 'to-run'],
        runIds: ['r1', 'r2', 'r3', undefined],
        estimates: [0, 125, 4000, null],
      },
      { 'runs.list': () => ({ total: 1, rows: [runRow(0, { id: 'r2', status: 'queued' })] }) },
    );
    // Until the app knows an active run's status, it is just active.
    expect(rows(s)[1]?.badge).toBe('active');
    await useActivityStore().reload();
    await settle();
    expect(rows(s)[1]?.badge).toBe('queued');
    expect(rows(s)).toEqual([
      {
        name: 'fig4/plain seed 0',
        state: 'done',
        badge: 'done',
        estimate: '—',
        basis: 'done: a stored run is reused',
        link: '/runs/r1',
      },
      {
        name: 'fig4/bn seed 0',
        state: 'active',
        badge: 'queued',
        estimate: '2 min',
        basis: 'from 3 stored runs of vgg16 on wasm',
        link: '/runs/r2',
      },
      {
        name: 'fig10/plain seed 0',
        state: 'resumable',
        badge: 'resumable',
        estimate: '1 h 7 min',
        basis: 'from 3 stored runs of vgg16 on wasm',
        link: '/runs/r3',
      },
      {
        name: 'fig10/bn seed 0',
        state: 'to-run',
        badge: 'to run',
        estimate: '?',
        basis: 'no run of dln25 is stored yet; run one to time it on this machine',
        link: null,
      },
    ]);
    // The active run's step from its stored row until its stream says more.
    expect(s.wrapper.findAll('[data-testid="plan-run"]')[1]?.text()).toContain('step 3/6');
    expect(s.wrapper.get('[data-testid="repro-total"]').text()).toBe(
      'at least 1 h 9 min, 1 run without a timing here',
    );
    expect(s.wrapper.get('[data-testid="repro-unknown"]').text()).toContain(
      'no run of dln25 is stored yet; run one to time it on this machine (fig10/bn seed 0)',
    );
    expect(s.wrapper.get('[data-testid="repro-progress-text"]').text()).toBe('1 of 4 runs done · 1 queued');
    expect(s.wrapper.get('[data-testid="repro-progress"]').attributes('aria-valuenow')).toBe('1');
    expect(s.wrapper.get('[data-testid="repro-plan-summary"]').text()).toContain('3 of 4 runs to train');
  });

  it('times the runs without a timing when asked (plan with calibrate)', async () => {
    const s = await setup('scale=smoke&only=fig4', { states: ['to-run', 'to-run'] });
    await s.wrapper.get('[data-testid="repro-calibrate"]').trigger('click');
    await settle();
    expect(s.plans.at(-1)).toEqual({ scale: 'smoke', only: 'fig4', calibrate: true });
  });

  it('starts with the chosen options and backend, says what it did, and follows the runs to done', async () => {
    const s = await setup('scale=smoke&only=fig4', { states: ['to-run', 'to-run'] });
    // A backend picked: the plan's estimates and the start use it.
    await s.wrapper.get('[data-testid="repro-backend"]').trigger('click');
    await settle();
    await s.wrapper.get('[data-testid="backend-cpu"] input').setValue(true);
    await settle();
    expect(s.plans.at(-1)).toEqual({ scale: 'smoke', only: 'fig4', backend: 'cpu' });

    s.runs = { states: ['active', 'active'], runIds: ['n1', 'n2'], estimates: [5, 5] };
    await s.wrapper.get('[data-testid="repro-start"]').trigger('click');
    await settle();
    expect(s.starts).toEqual([{ scale: 'smoke', only: 'fig4', backend: 'cpu' }]);
    expect(s.wrapper.get('[data-testid="repro-started"]').text()).toBe(
      'Queued 2 runs (1 new, 1 resumed from a checkpoint).',
    );
    expect(rows(s).map((r) => r.state)).toEqual(['active', 'active']);
    expect(s.client.calls.some((c) => c.method === 'events.subscribe')).toBe(true);

    // The first run finishes: the plan and the verdicts are read again.
    const plans = s.plans.length;
    const results = s.results.length;
    s.runs = { states: ['done', 'active'], runIds: ['n1', 'n2'], estimates: [0, 5] };
    s.client.emit(statusEvent('n1', 'completed'));
    await vi.advanceTimersByTimeAsync(1100);
    await settle();
    expect(s.plans.length).toBeGreaterThan(plans);
    expect(s.results.length).toBeGreaterThan(results);
    expect(rows(s).map((r) => r.state)).toEqual(['done', 'active']);
    expect(s.wrapper.get('[data-testid="repro-progress-text"]').text()).toBe('1 of 2 runs done · 1 active');

    // A run of another reproduction changes nothing.
    const before = s.plans.length;
    s.client.emit({
      topic: 'runs',
      change: { kind: 'status', runId: 'other', row: runRow(0, { id: 'other', status: 'completed' }) },
    });
    await vi.advanceTimersByTimeAsync(1100);
    await settle();
    expect(s.plans.length).toBe(before);

    s.runs = { states: ['done', 'done'], runIds: ['n1', 'n2'], estimates: [0, 0] };
    s.client.emit(statusEvent('n2', 'completed'));
    await vi.advanceTimersByTimeAsync(1100);
    await settle();
    expect(rows(s).map((r) => r.badge)).toEqual(['done', 'done']);
    expect(s.wrapper.get('[data-testid="repro-progress-text"]').text()).toBe('2 of 2 runs done');
    expect(s.wrapper.get('[data-testid="repro-total"]').text()).toBe('nothing left to train');
    expect(s.wrapper.get('[data-testid="repro-start"]').attributes('disabled')).toBeDefined();
    expect(s.wrapper.get('[data-testid="repro-complete"]').text()).toBe('every run is done');
  });

  it('shows each claim with its verdict, criteria (3 significant digits, n/a), missing items and note', async () => {
    const s = await setup('scale=smoke', {
      states: ['done', 'done', 'to-run', 'to-run'],
      runIds: ['a', 'b'],
    });
    const card = s.wrapper.get('[data-testid="claim-fig4-landscape"]');
    expect(card.attributes('data-verdict')).toBe('inconclusive');
    expect(card.get('[data-testid="verdict-badge"]').text()).toContain('inconclusive');
    expect(card.text()).toContain(FIG4_CLAIM.statement);
    const criteria = card.findAll('[data-testid="claim-criteria"] tbody tr').map((r) => [
      r.get('.name').text(),
      ...r
        .findAll('td')
        .slice(1)
        .map((td) => td.text()),
    ]);
    expect(criteria).toEqual([
      ['VGG: BN / plain median loss band', '0.123', '≤ 0.500', 'pass'],
      ['VGG: BN / plain median effective beta', '1.23', '≤ 0.800', 'fail'],
      ['DLN: BN / plain median loss band', 'n/a', '≤ 0.500', 'n/a'],
    ]);
    expect(card.get('[data-testid="claim-criteria"] .description').text()).toBe(
      'median over probed steps of the loss band, BN over plain',
    );
    expect(card.get('[data-testid="claim-missing"]').text()).toContain('fig10/bn: no runs');
    expect(card.get('[data-testid="claim-note"]').text()).toBe(FIG4_CLAIM.note);
  });

  it('lists the first missing items of a claim and the rest on demand', async () => {
    const missing = Array.from({ length: 9 }, (_, i) => `fig10/slot${i}: no runs`);
    const s = await setup(
      'scale=smoke',
      { states: [] },
      {
        'reproduce.results': (p) =>
          resultsFixture(planFixture(p.scale, { states: [] }), { ...FIG4_CLAIM, missing }),
      },
    );
    const list = () => s.wrapper.findAll('[data-testid="claim-missing"] li').map((li) => li.text());
    expect(list()).toEqual([...missing.slice(0, 6), 'and 3 more']);
    await s.wrapper.get('[data-testid="claim-missing"] button').trigger('click');
    expect(list()).toEqual(missing);
  });

  it("draws the claim's figures from the runs it read, every slot named, and says which have none", async () => {
    const s = await setup('scale=smoke', {
      states: ['done', 'done', 'to-run', 'to-run'],
      runIds: ['a', 'b'],
    });
    // fig4 with both runs done; fig10 has none done, so it is not built.
    expect(s.builds.map((b) => b.spec)).toEqual([
      {
        kind: 'template',
        template: 'fig4',
        slots: { plain: ['a'], bn: ['b'] },
        paper: true,
        smoothing: 0,
        band: 'minmax',
      },
    ]);
    const fig4 = s.wrapper.get('[data-testid="claim-figure-fig4"]');
    expect(fig4.get('[data-testid="compare-chart"]').attributes('data-lines')).toBe('2');
    expect(s.wrapper.get('[data-testid="claim-figure-fig10"]').text()).toContain(
      'No run of this figure is done yet',
    );
  });

  it('passes an empty list for a slot without runs, and says when a figure is outside the reproduction', async () => {
    const s = await setup('scale=smoke&only=fig4', { states: ['done', 'to-run'], runIds: ['a'] });
    expect((s.builds.at(-1)?.spec as TemplateSpec).slots).toEqual({ plain: ['a'], bn: [] });
    expect(s.wrapper.get('[data-testid="claim-figure-fig10"]').text()).toContain(
      'Not part of this reproduction',
    );
  });

  it('writes the report and shows where, with the verdicts it wrote', async () => {
    const s = await setup('scale=smoke&only=fig4', { states: ['done', 'done'], runIds: ['a', 'b'] });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await s.wrapper.get('[data-testid="repro-report"]').trigger('click');
    await settle();
    expect(s.reports).toEqual([{ scale: 'smoke', only: 'fig4' }]);
    const done = s.wrapper.get('[data-testid="repro-report-done"]');
    expect(done.get('[data-testid="repro-report-dir"]').text()).toBe(REPORT.dir);
    expect((done.get('[data-testid="repro-report-index"]').element as HTMLInputElement).value).toBe(
      REPORT.index,
    );
    expect(done.text()).toContain('3 files');
    expect(done.text()).toContain('Some runs are not done');
    expect(done.get('[data-testid="verdict-badge"]').text()).toContain('inconclusive');
    await done.get('[data-testid="repro-report-copy"]').trigger('click');
    await settle();
    expect(writeText).toHaveBeenCalledWith(REPORT.index);
    expect(done.text()).toContain('Copied');
  });

  it("shows the host's error where a call failed", async () => {
    const s = await setup(
      'scale=smoke&reading=nope',
      { states: [] },
      {
        'reproduce.plan': () => {
          throw new ApiCallError('usage', 'unknown reading "nope"; the readings are: spec, dln-mean-loss');
        },
        'reproduce.results': () => {
          throw new ApiCallError('usage', 'unknown reading "nope"; the readings are: spec, dln-mean-loss');
        },
        'reproduce.report': () => {
          throw new ApiCallError('usage', 'cannot write /reports: permission denied');
        },
      },
    );
    expect(s.wrapper.get('[data-testid="repro-plan-error"]').text()).toBe(
      'Cannot plan this reproduction: unknown reading "nope"; the readings are: spec, dln-mean-loss',
    );
    expect(s.wrapper.get('[data-testid="repro-results-error"]').text()).toContain('unknown reading "nope"');
    await s.wrapper.get('[data-testid="repro-report"]').trigger('click');
    await settle();
    expect(s.wrapper.get('[data-testid="repro-report-error"]').text()).toBe(
      'The report was not written: cannot write /reports: permission denied',
    );
  });

  it('says why a start failed', async () => {
    const s = await setup(
      'scale=smoke&only=fig4',
      { states: ['to-run', 'to-run'] },
      {
        'reproduce.start': () => {
          throw new ApiCallError(
            'data-missing',
            '/data/cifar/test_batch.bin: not found; download CIFAR-10 in Settings',
          );
        },
      },
    );
    await s.wrapper.get('[data-testid="repro-start"]').trigger('click');
    await settle();
    expect(s.wrapper.get('[data-testid="repro-start-error"]').text()).toBe(
      'The reproduction did not start: /data/cifar/test_batch.bin: not found; download CIFAR-10 in Settings',
    );
    expect(s.wrapper.find('[data-testid="repro-started"]').exists()).toBe(false);
  });
});
