/**
 * A stand-in host for looking at the views without a server: `installFakeHost` runs in the page
 * (page.addInitScript) and exposes a NormLabBridge as window.normlab that answers from canned data:
 * the real presets and figures, backend reports, and any number of generated runs (filtered,
 * sorted and paged like runs.list). The views cannot tell it from the Electron preload.
 */
import type { Page } from 'playwright-core';
import type { ApiResult, RunRow } from '../../src/shared/api';
import { FIGURES } from '../../src/shared/figures';
import { PRESETS } from '../../src/shared/presets';
import { RUN_STATUSES } from '../../src/shared/runTypes';

export interface FakeHostData {
  presets: ApiResult<'presets.list'>;
  figures: ApiResult<'figures.list'>;
  backends: ApiResult<'backends.list'>;
  info: ApiResult<'app.info'>;
  runs: RunRow[];
}

/** Canned data: `runs` generated runs (newest first), a machine without a GPU. */
export function fakeHostData(runs: number, options: { empty?: boolean } = {}): FakeHostData {
  const presets = PRESETS.map((p, i) => ({
    name: p.name,
    description: p.description,
    figure: p.name.includes('/') ? (p.name.split('/')[0] ?? null) : null,
    config: p.config,
    estimateSec: i % 3 === 2 ? null : 40 + i * 97,
    estimateBasis:
      i % 3 === 2 ? 'no stored run of this network yet' : `from run k3x9a${i} (wasm, 412 examples/s)`,
  }));
  const figures = FIGURES.map((f, i) => ({
    name: f.name,
    figure: f.figure,
    scale: f.scale,
    description: f.description,
    runs: f.runs.map((r) => ({ name: r.name, label: r.label })),
    estimateSec: i % 4 === 3 ? null : 600 + i * 1800,
  }));
  const backends = [
    {
      name: 'tensorflow-gpu',
      available: false,
      reason: '@tensorflow/tfjs-node-gpu is not installed',
      versions: {},
      details: {},
      probeMs: 2,
    },
    {
      name: 'webgpu',
      available: true,
      device: 'llvmpipe (LLVM 19.1.7, 256 bits)',
      software: true,
      versions: {},
      details: {},
      probeMs: 410,
    },
    {
      name: 'tensorflow',
      available: false,
      reason: '@tensorflow/tfjs-node is not installed',
      versions: {},
      details: {},
      probeMs: 1,
    },
    {
      name: 'wasm',
      available: true,
      device: 'WebAssembly SIMD, 16 threads',
      software: false,
      versions: {},
      details: {},
      probeMs: 120,
    },
    {
      name: 'cpu',
      available: true,
      device: 'JavaScript',
      software: false,
      versions: {},
      details: {},
      probeMs: 3,
    },
  ];
  const nets = ['vgg16', 'vgg-tiny', 'dln25', 'vgg-mini', 'mlp'];
  const norms = ['batch', 'none', 'noisy-batch', 'l2', 'l1', 'linf'];
  const tagPool = ['baseline', 'fig4', 'sweep-lr', 'check', 'paper'];
  const rows: RunRow[] = [];
  const now = Date.UTC(2025, 10, 30, 12);
  for (let i = 0; i < runs; i++) {
    const status =
      i < 2 ? (i === 0 ? 'running' : 'queued') : (RUN_STATUSES[(i * 7) % RUN_STATUSES.length] ?? 'completed');
    const network = nets[i % nets.length] ?? 'vgg16';
    const total = network === 'dln25' ? 10_000 : 2000;
    const last =
      status === 'queued'
        ? null
        : status === 'completed'
          ? total
          : Math.floor((total * ((i * 37) % 100)) / 100);
    const diverged = status === 'diverged';
    rows.push({
      id: `r${(100000 + i).toString(36)}`,
      name:
        i % 3 === 0
          ? `fig4-cpu/${i % 2 ? 'bn' : 'plain'}`
          : i % 3 === 1
            ? `${network}-${norms[i % norms.length]}`
            : `sweep lr ${i}`,
      status,
      network,
      normalization: norms[i % norms.length] ?? 'none',
      optimizer: 'sgd',
      lr: [0.1, 0.05, 0.5, 1e-6, 0.01][i % 5] ?? 0.1,
      batchSize: 128,
      seed: i % 4,
      dataset: network === 'dln25' ? 'dln-synthetic' : 'cifar10',
      totalSteps: total,
      lastStep: last,
      backend: status === 'queued' ? null : i % 5 === 0 ? 'webgpu' : 'wasm',
      device: status === 'queued' ? null : i % 5 === 0 ? 'llvmpipe' : '16 threads',
      softwareDevice: status === 'queued' ? null : i % 5 === 0,
      createdAt: now - i * 3_600_000,
      startedAt: status === 'queued' ? null : now - i * 3_600_000 + 1000,
      endedAt: null,
      divergedAtStep: diverged ? Math.floor(total / 3) : null,
      error: status === 'failed' ? 'data-missing: test_batch.bin not found' : null,
      sweepId: i % 10 < 4 ? `sw${Math.floor(i / 10)}` : null,
      parentId: null,
      tags:
        i % 4 === 0
          ? [tagPool[i % tagPool.length] ?? 'x']
          : i % 9 === 0
            ? ['baseline', 'fig4', 'paper', 'check']
            : [],
      notes:
        i % 6 === 0
          ? 'BN run for Fig. 4: landscape band much narrower than the plain run after step 500.'
          : '',
      final: {
        trainLoss: last === null ? null : diverged ? NaN : 2.3 / (1 + (last / total) * 4),
        trainAccuracy: last === null ? null : 0.1 + 0.8 * (last / total),
        testAccuracy: last === null || last < total / 2 ? null : 0.1 + 0.7 * (last / total),
      },
    });
  }
  const info = {
    version: '0.1.0',
    host: 'electron' as const,
    dbPath: '/home/researcher/.local/share/normlab/normlab.sqlite',
    dataDir: '/home/researcher/.local/share/normlab',
    settingsFile: '/home/researcher/.config/normlab/settings.json',
    cpu: 'AMD EPYC 7B13',
    cores: 16,
    empty: options.empty ?? runs === 0,
  };
  return { presets, figures, backends, info, runs: rows };
}

/** Runs in the page: installs window.normlab answering from `data`. Self-contained on purpose. */
export function installFakeHost(data: FakeHostData): void {
  type Listener = (event: unknown) => void;
  const listeners = new Set<Listener>();
  let settings: Record<string, unknown> = { cifar10Dir: '/data/cifar-10-batches-bin' };
  const runs = data.runs;
  const emit = (event: unknown) => listeners.forEach((l) => l(event));
  const sortValue = (r: RunRow, key: string): number | string => {
    switch (key) {
      case 'steps':
        return r.lastStep ?? -1;
      case 'trainLoss':
        return r.final.trainLoss ?? Infinity;
      case 'testAccuracy':
        return r.final.testAccuracy ?? -1;
      case 'created':
        return r.createdAt;
      default:
        return (r as unknown as Record<string, number | string>)[key] ?? '';
    }
  };
  const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
    'app.info': () => data.info,
    'presets.list': () => data.presets,
    'figures.list': () => data.figures,
    'backends.list': () => data.backends,
    'settings.get': () => settings,
    'settings.set': (p) => {
      settings = { ...settings, [p['key'] as string]: p['value'] };
      if (p['value'] === undefined) Reflect.deleteProperty(settings, p['key'] as string);
      return settings;
    },
    'data.checkCifar10': (p) => {
      const dir =
        (p['dir'] as string | undefined) ?? (settings['cifar10Dir'] as string | undefined) ?? '/data/cifar';
      return dir.includes('cifar')
        ? { dir, ok: true, trainFiles: ['data_batch_1.bin'], trainImages: 10000, testImages: 10000 }
        : {
            dir,
            ok: false,
            trainFiles: [],
            trainImages: 0,
            testImages: 0,
            error: `${dir}/test_batch.bin: not found; download CIFAR-10 or choose the folder that holds it`,
          };
    },
    'queue.get': () => ({
      poolSize: 1,
      running: runs.filter((r) => r.status === 'running').map((r) => r.id),
      queued: [],
    }),
    'events.subscribe': () => ({ ok: true }),
    'events.unsubscribe': () => ({ ok: true }),
    'runs.tags': () => {
      const counts = new Map<string, number>();
      runs.forEach((r) => r.tags.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1)));
      return [...counts].map(([tag, count]) => ({ tag, count }));
    },
    'runs.list': (p) => {
      let list = runs;
      const search = ((p['search'] as string | undefined) ?? '').toLowerCase();
      if (search)
        list = list.filter((r) =>
          `${r.id} ${r.name} ${r.tags.join(' ')} ${r.notes} ${r.network}`.toLowerCase().includes(search),
        );
      const status = p['status'] as string[] | undefined;
      if (status?.length) list = list.filter((r) => status.includes(r.status));
      const tags = p['tags'] as string[] | undefined;
      if (tags?.length) list = list.filter((r) => tags.every((t) => r.tags.includes(t)));
      if (p['network']) list = list.filter((r) => r.network === p['network']);
      if (p['normalization']) list = list.filter((r) => r.normalization === p['normalization']);
      if (p['sweepId']) list = list.filter((r) => r.sweepId === p['sweepId']);
      const key = (p['sort'] as string | undefined) ?? 'created';
      const dir = p['order'] === 'asc' ? 1 : -1;
      list = [...list].sort((a, b) => {
        const x = sortValue(a, key);
        const y = sortValue(b, key);
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
      const offset = (p['offset'] as number | undefined) ?? 0;
      const limit = (p['limit'] as number | undefined) ?? 200;
      return { total: list.length, rows: list.slice(offset, offset + limit) };
    },
    'runs.get': (p) => {
      const row = runs.find((r) => r.id === p['runId']);
      if (!row) throw Object.assign(new Error(`no run ${String(p['runId'])}`), { code: 'not-found' });
      return {
        run: { ...row, config: {}, resumedFromStep: null },
        row,
        series: [],
        probes: [],
        slices: [],
        checkpoints: [],
      };
    },
    'runs.update': (p) => {
      const row = runs.find((r) => r.id === p['runId']);
      if (!row) throw Object.assign(new Error('no such run'), { code: 'not-found' });
      if (p['tags']) row.tags = p['tags'] as string[];
      if (typeof p['notes'] === 'string') row.notes = p['notes'];
      if (typeof p['name'] === 'string') row.name = p['name'];
      setTimeout(() => emit({ topic: 'runs', change: { kind: 'updated', runId: row.id, row } }), 0);
      return row;
    },
    'runs.deletePreview': (p) => {
      const ids = p['runIds'] as string[];
      const chosen = runs.filter((r) => ids.includes(r.id));
      return {
        runs: chosen.map((r) => ({ id: r.id, name: r.name, status: r.status })),
        points: chosen.length * 2412,
        probeRecords: chosen.length * 80,
        checkpoints: chosen.length * 3,
        checkpointBytes: chosen.length * 3 * 4_200_000,
        slices: 1,
        active: chosen.filter((r) => ['queued', 'running', 'paused'].includes(r.status)).map((r) => r.id),
      };
    },
    'runs.delete': (p) => {
      const ids = p['runIds'] as string[];
      for (const id of ids) {
        const i = runs.findIndex((r) => r.id === id);
        if (i >= 0) runs.splice(i, 1);
        setTimeout(() => emit({ topic: 'runs', change: { kind: 'deleted', runId: id } }), 0);
      }
      return { deleted: ids };
    },
    'runs.log': () => [],
    'series.read': () => ({ series: [] }),
    'probes.records': () => [],
    'slices.list': () => [],
  };
  const bridge = {
    call: async (method: string, params: unknown) => {
      const handler = handlers[method];
      if (!handler)
        return { ok: false, error: { code: 'usage', message: `fake host: ${method} not answered` } };
      try {
        return { ok: true, result: handler((params ?? {}) as Record<string, unknown>) };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { ok: false, error: { code: err.code ?? 'internal', message: err.message } };
      }
    },
    onEvent: (listener: Listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  (globalThis as unknown as { normlab: unknown }).normlab = bridge;
}

/** Installs the fake host in every page `page` loads (before the app's scripts). */
export async function addFakeHost(page: Page, data: FakeHostData): Promise<void> {
  // Some TypeScript runners wrap functions in a __name() helper that the page does not have.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await page.addInitScript(installFakeHost, data);
}
