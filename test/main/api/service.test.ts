/**
 * The NormLab service over a temporary database, with the stand-in engine worker: every method of the
 * contract called through dispatch, each result parsed with its contract schema (serviceHarness.ts),
 * and what the methods do: runs, sweeps, figures, tags and notes, deletion, chart reads, slices,
 * settings, the dataset check, the event streams.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_METHOD_NAMES, type ApiEvent, type ApiMethodName } from '../../../src/shared/api';
import { dispatch } from '../../../src/main/api/dispatch';
import { createNormLabService } from '../../../src/main/api/service';
import { brokenCifar10Folders, writeCifar10Folder } from '../../helpers/cifar10Folders';
import { userErrorFrom } from '../../helpers/userError';
import { openHarness, type ServiceHarness } from '../../helpers/serviceHarness';
import { tempDirs } from '../../helpers/tempDirs';
import { waitUntil } from '../../helpers/waitUntil';

const dirs = tempDirs('service');
afterAll(() => dirs.cleanup());

let h: ServiceHarness;
let dir: string;
beforeEach(() => {
  dir = dirs.make();
  h = openHarness(dir);
});
afterEach(async () => {
  await h.close();
});

/** dln25-bn (no dataset needed) at a few steps, a checkpoint every 5. */
function dln(steps = 10, extra: string[] = []) {
  return {
    preset: 'dln25-bn',
    overrides: [`schedule.steps=${steps}`, 'schedule.checkpointEvery=5', ...extra],
  };
}

async function finished(runId: string): Promise<void> {
  await waitUntil(
    () => {
      const row = h.service.activeRuns().includes(runId) ? undefined : true;
      return row;
    },
    `run ${runId} to end`,
    { timeoutMs: 30_000 },
  );
}

describe('the service', () => {
  it('answers every method of the contract with its result schema', async () => {
    const called = new Set<ApiMethodName>();
    const call: typeof h.call = (method, params) => {
      called.add(method);
      return h.call(method, params);
    };

    const info = await call('app.info', {});
    expect(info).toMatchObject({ host: 'serve', dbPath: h.db, empty: true, dataDir: join(h.home, 'data') });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect((await call('presets.list', {})).find((p) => p.name === 'dln25-bn')).toMatchObject({
      figure: null,
      estimateSec: null,
      estimateBasis: expect.stringMatching(/^no run of dln25 with batch normalization is stored yet/),
    });
    expect((await call('figures.list', {})).find((f) => f.name === 'fig10')?.runs).toHaveLength(2);
    expect((await call('experiments.validate', dln(7))).config.schedule.steps).toBe(7);

    await call('events.subscribe', { topic: 'runs' });
    const { runId } = await call('runs.start', { ...dln(12), name: 'first', threads: 2 });
    await call('events.subscribe', { topic: 'run', key: runId });
    await finished(runId);
    expect((await call('runs.get', { runId })).run).toMatchObject({
      status: 'completed',
      lastStep: 12,
      backend: 'cpu',
    });

    // The stored run now times the preset: 10,000 steps x 1,000 examples at 1,000 examples/s.
    const preset = (await call('presets.list', {})).find((p) => p.name === 'dln25-bn');
    expect(preset?.estimateSec).toBeCloseTo(10_000, 6);
    expect(preset?.estimateBasis).toMatch(
      new RegExp(`^from run ${runId} of dln25 with batch normalization: 1000 examples/s on cpu`),
    );
    expect(preset?.estimateBasis).toMatch(
      /not counted: the ics, landscape, activations, norms, bnGradients probe\(s\)/,
    );

    const sweep = await call('runs.startSweep', {
      experiment: dln(5),
      grid: { lr: [1e-6, 1e-7], normalization: ['none', 'batch'] },
    });
    expect(sweep.runIds).toHaveLength(4);
    const figure = await call('runs.startFigure', { figure: 'fig10', overrides: ['schedule.steps=5'] });
    expect(figure.sweepId).toMatch(/^fig10@/);
    expect((await call('queue.get', {})).poolSize).toBe(1);
    for (const id of [...sweep.runIds, ...figure.runIds]) await finished(id);

    const list = await call('runs.list', { sweepId: sweep.sweepId, sort: 'lr', order: 'asc' });
    expect(list.total).toBe(4);
    expect(list.rows.map((r) => [r.lr, r.normalization, r.status])).toEqual([
      [1e-7, 'none', 'completed'],
      [1e-7, 'batch', 'completed'],
      [1e-6, 'none', 'completed'],
      [1e-6, 'batch', 'completed'],
    ]);
    expect(list.rows[0]?.name).toBe('dln25-bn lr=1e-7 none seed=0');
    expect((await call('runs.list', {})).total).toBe(7);

    const detail = await call('runs.get', { runId });
    expect(detail.row).toMatchObject({ name: 'first', final: { trainLoss: 1 / 12 } });
    expect(detail.series.find((s) => s.name === 'train/loss')).toMatchObject({
      points: 12,
      firstStep: 1,
      lastStep: 12,
    });
    expect(detail.checkpoints.map((c) => c.step)).toEqual([5, 10, 12]);

    const updated = await call('runs.update', { runId, tags: ['keep', 'paper'], notes: 'the first' });
    expect(updated).toMatchObject({ tags: ['keep', 'paper'], notes: 'the first' });
    await call('runs.update', { runId: sweep.runIds[0] as string, tags: ['keep'] });
    expect(await call('runs.tags', {})).toEqual([
      { tag: 'keep', count: 2 },
      { tag: 'paper', count: 1 },
    ]);
    expect((await call('runs.list', { tags: ['keep'] })).total).toBe(2);
    expect((await call('runs.list', { search: 'the first' })).rows.map((r) => r.id)).toEqual([runId]);

    const read = await call('series.read', { runId, names: ['train/loss', 'nope'], width: 4 });
    expect(read.series[0]?.points).toBe(12);
    expect(read.series[0]?.buckets[0]).toMatchObject({ stepFrom: 1, stepTo: 1, last: 1 });
    expect(read.series[0]?.buckets.at(-1)).toMatchObject({ lastStep: 12, last: 1 / 12 });
    expect(read.series[1]).toEqual({ name: 'nope', points: 0, buckets: [] });
    expect(await call('probes.records', { runId })).toEqual([]);

    // Compare and figures (figureHandlers.test.ts and test/main/api/figures have the details).
    expect(await call('compare.metrics', { runIds: [runId, sweep.runIds[0] as string] })).toContainEqual({
      name: 'train/loss',
      runs: 2,
    });
    const fig10 = (await call('figures.templates', {})).find((t) => t.name === 'fig10');
    expect(fig10?.slots.flatMap((s) => s.runIds).sort()).toEqual([...figure.runIds].sort());
    const lossSpec = { kind: 'compare' as const, runIds: [runId], panels: [{ metric: 'train/loss' }] };
    const built = await call('figures.build', { spec: lossSpec, width: 200 });
    expect(built.panels[0]?.lines[0]?.y).toEqual(Array.from({ length: 12 }, (_, k) => 1 / (k + 1)));
    const csv = await call('figures.export', { spec: lossSpec, format: 'csv' });
    expect(csv).toMatchObject({ fileName: 'compare-train-loss.csv', mime: 'text/csv' });
    expect(Buffer.from(csv.base64, 'base64').toString('utf8').trimEnd().split('\n')).toHaveLength(13);

    const log = await call('runs.log', { runId });
    expect(log.map((e) => e.message)).toEqual([
      'Queued.',
      'Training 1 parameters on cpu (2 thread(s)), fake, to step 12.',
      'Completed at step 12.',
    ]);
    expect(await call('runs.log', { runId, afterId: log[1]?.id })).toEqual(log.slice(2));

    // A loss slice at the run's latest checkpoint, followed on its stream.
    const { jobId } = await call('slices.start', { runId, settings: { points: 3 } });
    await call('events.subscribe', { topic: 'slice', key: jobId });
    await waitUntil(
      () => h.events.find((e) => e.topic === 'slice' && e.event.type === 'ended'),
      'the slice to end',
    );
    expect((await call('slices.list', { runId }))[0]).toMatchObject({
      id: jobId,
      status: 'completed',
      step: 12,
      done: 3,
    });
    expect((await call('slices.points', { jobId })).map((p) => p.alpha)).toEqual([-1, 0, 1]);
    expect((await userErrorFrom(call('slices.resume', { jobId }))).message).toMatch(/is complete/);
    expect((await userErrorFrom(call('slices.stop', { jobId }))).message).toMatch(
      /not running in this process/,
    );

    // Pause, continue, stop, resume: a slow run.
    // "slow": the stand-in worker's slow steps, 40 ms each.
    const slow = (await call('runs.start', { ...dln(60, ['name=slow']), name: 'slow one' })).runId;
    await h.waitForStatus(slow, 'running');
    await call('runs.pause', { runId: slow });
    await h.waitForStatus(slow, 'paused');
    await call('runs.continue', { runId: slow });
    await h.waitForStatus(slow, 'running');
    await call('runs.stop', { runId: slow });
    await h.waitForStatus(slow, 'stopped');
    const stoppedAt = (await call('runs.get', { runId: slow })).run.lastStep ?? 0;
    expect(stoppedAt).toBeLessThan(60);
    await call('runs.update', { runId: slow, name: 'quick one' });
    await call('runs.resume', { runId: slow });
    await finished(slow);
    expect((await call('runs.get', { runId: slow })).run).toMatchObject({
      status: 'completed',
      lastStep: 60,
    });

    expect(await call('settings.get', {})).toEqual({});
    expect(await call('settings.set', { key: 'theme', value: 'dark' })).toEqual({ theme: 'dark' });
    expect(await call('data.checkCifar10', {})).toMatchObject({
      ok: false,
      dir: join(h.home, 'data', 'cifar-10-batches-bin'),
      error: expect.stringMatching(/does not exist/),
    });
    expect(await call('data.cancelDownload', {})).toEqual({ ok: true });

    const preview = await call('runs.deletePreview', { runIds: [runId, slow] });
    expect(preview).toMatchObject({ points: 24 + 120, slices: 1, active: [] });
    expect(preview.runs.map((r) => r.name).sort()).toEqual(['first', 'quick one']);
    expect(await call('runs.delete', { runIds: [runId, slow] })).toEqual({ deleted: [runId, slow] });
    expect((await call('runs.list', {})).total).toBe(6);
    expect(h.events).toContainEqual({ topic: 'runs', change: { kind: 'deleted', runId } });
    expect(await call('events.unsubscribe', { topic: 'runs' })).toEqual({ ok: true });

    // The one method that starts a download, the one that probes the backends and the reproduction's
    // (reproduce/reproduction.test.ts) have their own tests.
    const rest = API_METHOD_NAMES.filter((m) => !called.has(m) && !m.startsWith('reproduce.'));
    expect(rest.sort()).toEqual(['backends.list', 'data.downloadCifar10']);
  }, 120_000);

  it('streams a run: status changes, log lines and the engine events; the runs table hears of it', async () => {
    await h.subscribe({ topic: 'runs' });
    const { runId } = await h.call('runs.start', dln(6));
    await h.subscribe({ topic: 'run', key: runId });
    await finished(runId);
    const stream = h.events.flatMap((e) => (e.topic === 'run' && e.runId === runId ? [e.event] : []));
    const statuses = stream.flatMap((e) => (e.type === 'status' ? [e.status] : []));
    expect(statuses).toEqual(['running', 'completed']);
    expect(stream.filter((e) => e.type === 'log').length).toBe(2);
    expect(
      stream.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.step : 0)),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stream.at(-1)).toEqual({ type: 'ended', outcome: 'completed', step: 6 });
    const changes = h.events.flatMap((e) =>
      e.topic === 'runs' && e.change.runId === runId ? [e.change] : [],
    );
    expect(changes.map((c) => [c.kind, c.row?.status])).toEqual([
      ['created', 'queued'],
      ['status', 'running'],
      ['status', 'completed'],
    ]);
    // A session that subscribed to nothing hears nothing.
    const quiet: ApiEvent[] = [];
    h.service.openSession((e) => quiet.push(e));
    await h.call('runs.update', { runId, notes: 'x' });
    expect(quiet).toEqual([]);
  });

  it('refuses what cannot run with a UserError that says what to do, storing nothing', async () => {
    const broken = brokenCifar10Folders(join(dir, 'cifar'));
    for (const [what, { dir: dataDir, error }] of Object.entries(broken)) {
      const e = await userErrorFrom(h.call('runs.start', { preset: 'vgg-tiny-bn', dataDir }));
      expect(e.code, what).toMatch(/^data-/);
      expect(e.message, what).toMatch(error);
    }
    const missing = await userErrorFrom(h.call('runs.start', { preset: 'vgg-tiny-bn' }));
    expect(missing.message).toMatch(
      /^CIFAR-10 was not found at .*cifar-10-batches-bin \(the default location\)/,
    );
    expect((await userErrorFrom(h.call('runs.start', { preset: 'nope' }))).message).toMatch(
      /^unknown preset "nope"/,
    );
    expect((await userErrorFrom(h.call('runs.startFigure', { figure: 'fig99' }))).message).toMatch(
      /^unknown figure "fig99"/,
    );
    // A sweep whose experiment is not valid stores none of its runs.
    const bad = await userErrorFrom(
      h.call('runs.startSweep', { experiment: dln(5, ['optimizer.lr=fast']), grid: { seed: [1, 2] } }),
    );
    expect(bad.code).toBe('config');
    expect((await userErrorFrom(h.call('runs.get', { runId: 'zzzzzzzz' }))).message).toMatch(
      /^no run "zzzzzzzz"/,
    );
    expect((await userErrorFrom(h.call('runs.resume', { runId: 'zzzzzzzz' }))).code).toBe('not-found');
    expect((await h.call('runs.list', {})).total).toBe(0);
    // A malformed call is refused by the contract before any handler runs.
    expect((await userErrorFrom(h.call('runs.list', { limit: 0 }))).message).toMatch(
      /^invalid parameters for runs\.list/,
    );
  });

  it('a whole CIFAR-10 folder runs and is what settings.set cifar10Dir accepts; a broken one is refused and not saved', async () => {
    const good = writeCifar10Folder(join(dir, 'good'));
    const broken = brokenCifar10Folders(join(dir, 'bad'));
    expect(await h.call('data.checkCifar10', { dir: good })).toEqual({
      dir: good,
      ok: true,
      trainFiles: ['data_batch_1.bin'],
      trainImages: 6,
      testImages: 4,
    });
    const check = await h.call('data.checkCifar10', { dir: broken['label out of range']?.dir });
    expect(check).toMatchObject({ ok: false, error: expect.stringMatching(/label byte 12/) });
    const e = await userErrorFrom(h.call('settings.set', { key: 'cifar10Dir', value: broken.empty?.dir }));
    expect(e.message).toMatch(/has no training files/);
    expect(await h.call('settings.get', {})).toEqual({});
    expect(await h.call('settings.set', { key: 'cifar10Dir', value: good })).toEqual({ cifar10Dir: good });
    const { config } = await h.call('experiments.validate', {
      preset: 'vgg-tiny-bn',
      overrides: ['data.trainLimit=6'],
    });
    expect(config.data.dir).toBe(good);
    const settings = await h.call('settings.set', { key: 'defaultBackend', value: 'wasm' });
    expect(settings).toEqual({ cifar10Dir: good, defaultBackend: 'wasm' });
    // The default backend applies where the experiment names none; the request's own wins.
    expect((await h.call('experiments.validate', dln(3))).config.backend).toBe('wasm');
    expect((await h.call('experiments.validate', { ...dln(3), backend: 'cpu' })).config.backend).toBe('cpu');
    expect((await h.call('experiments.validate', { ...dln(3, ['backend=auto']) })).config.backend).toBe(
      'auto',
    );
    expect(existsSync(h.db)).toBe(true);
  });
});

describe('where the database is', () => {
  it('the db option, else the db setting, else <data dir>/normlab.sqlite', async () => {
    const home = join(dirs.make(), 'home');
    const env = { NORMLAB_HOME: home };
    const plain = createNormLabService({ host: 'cli', env });
    expect(plain.dbPath).toBe(join(home, 'data', 'normlab.sqlite'));
    const elsewhere = join(dirs.make(), 'elsewhere.sqlite');
    const session = plain.openSession(() => undefined);
    await dispatch(plain.handlers, session, 'settings.set', { key: 'db', value: elsewhere });
    await plain.shutdown();
    const fromSetting = createNormLabService({ host: 'cli', env });
    expect(fromSetting.dbPath).toBe(elsewhere);
    await fromSetting.shutdown();
    const given = createNormLabService({ host: 'cli', env, db: join(home, 'given.sqlite') });
    expect(given.dbPath).toBe(join(home, 'given.sqlite'));
    await given.shutdown();
  });
});

describe('deleting runs', () => {
  it('stops a run of this process first (a queued one leaves the queue), then deletes it with what it owns', async () => {
    const running = (await h.call('runs.start', { ...dln(100_000), name: 'long' })).runId;
    const queued = (await h.call('runs.start', dln(5))).runId;
    await h.waitForStatus(running, 'running');
    const preview = await h.call('runs.deletePreview', { runIds: [running, queued, running] });
    expect(preview.active.sort()).toEqual([running, queued].sort());
    expect(preview.runs).toHaveLength(2);
    await h.subscribe({ topic: 'runs' });
    expect((await h.call('runs.delete', { runIds: [queued, running] })).deleted).toEqual([queued, running]);
    expect(h.service.activeRuns()).toEqual([]);
    expect((await h.call('runs.list', {})).total).toBe(0);
    expect(h.events.filter((e) => e.topic === 'runs' && e.change.kind === 'deleted')).toHaveLength(2);
  });
});
