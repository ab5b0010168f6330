/**
 * End-to-end tests of the `normlab` command: the bundled CLI (bin/normlab.js -> out/main/cli.js) in a
 * child process, as a user runs it, with NORMLAB_HOME pointing at a throwaway folder. Training uses
 * the wasm backend at tiny sizes (a few seconds per run).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preset } from '../../../../src/shared/presets';
import type { RunRecord } from '../../../../src/shared/runTypes';
import {
  announcedRunId,
  hasStackTrace,
  runCli,
  runCliJson,
  setArgs,
  type CliResult,
} from '../../../helpers/cli';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import { SHARED_CIFAR10 } from '../../../helpers/repoPaths';
import { tempDirs } from '../../../helpers/tempDirs';

interface ProbeSummaryJson {
  probe: string;
  records: number;
  firstStep: number;
  lastStep: number;
  errors: number;
}

interface ShowJson {
  run: RunRecord<{
    backend: string;
    data: { dir: string; trainLimit: number };
    schedule: { steps: number; batchSize: number };
  }>;
  series: { name: string; firstStep: number; lastStep: number; last: number | null }[];
  probes: ProbeSummaryJson[];
  checkpoints: { step: number; size: number }[];
}

interface ExportJson {
  run: RunRecord;
  series: Record<string, { step: number; value: number | string; time: number }[]>;
  probes: { probe: string; step: number; data: Record<string, unknown> }[];
}

interface BackendJson {
  name: string;
  available: boolean;
  reason?: string;
}

const VGG_STEPS = 4;
const VGG_ARGS = [
  ...['run', '--preset', 'vgg-tiny-bn', '--data', SHARED_CIFAR10, '--backend', 'wasm', '--threads', '2'],
  ...setArgs(
    'data.trainLimit=256',
    'data.testLimit=100',
    'schedule.batchSize=32',
    `schedule.steps=${VGG_STEPS}`,
  ),
  ...setArgs('schedule.trainMetricsEvery=2', 'schedule.testMetricsEvery=3'),
  // Two probes besides the norms (which follow the train metrics): records end to end.
  ...setArgs('probes.landscape.every=2', 'probes.activations.every=3', 'probes.activations.layers=[2]'),
];
/**
 * The trainer logs train metrics at step 1 and every trainMetricsEvery steps, test metrics at step 0
 * (the initial weights), every testMetricsEvery steps and at the last step.
 */
const VGG_TRAIN_STEPS = [1, 2, 4];
const VGG_TEST_STEPS = [0, 3, 4];

const DLN_STEPS = 20;
const DLN_ARGS = [
  'run',
  '--preset',
  'dln25-bn',
  '--backend',
  'wasm',
  ...setArgs(`schedule.steps=${DLN_STEPS}`),
];
/** dln25-bn logs every 10 steps (and step 1); it has no accuracy and no test set. */
const DLN_TRAIN_STEPS = [1, 10, 20];

const dirs = tempDirs('cli-e2e');
let home: string;
let vgg: CliResult;
let dln: CliResult;
let vggId: string;
let dlnId: string;

function expectUserError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^normlab: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
}

function completedId(result: CliResult, steps: number): string {
  expect(result.code, result.stderr).toBe(0);
  const id = /^run ([0-9a-z]{8}) completed (\d+) steps/m.exec(result.stdout);
  expect(id, result.stdout).not.toBeNull();
  expect(Number(id?.[2])).toBe(steps);
  expect(announcedRunId(result.stderr)).toBe(id?.[1]);
  return id?.[1] as string;
}

beforeAll(async () => {
  await ensureCliBuilt();
  home = dirs.make();
  // The two training runs are independent: run them side by side.
  [vgg, dln] = await Promise.all([runCli(VGG_ARGS, home), runCli(DLN_ARGS, home)]);
});
afterAll(() => dirs.cleanup());

describe('normlab run', () => {
  it('trains vgg-tiny on the shared CIFAR-10 and reports completion with the id', () => {
    vggId = completedId(vgg, VGG_STEPS);
    expect(vgg.stdout).toMatch(/train loss \d.*test accuracy \d+\.\d%/);
    expect(vgg.stderr).toMatch(/training [\d,]+ parameters with wasm \(2 thread\(s\)\) on /);
  });

  it('trains dln25 and reports completion with the id', () => {
    dlnId = completedId(dln, DLN_STEPS);
    expect(dlnId).not.toBe(vggId);
    // No --threads: its 1000 x 10 x 10 products are too small to split (autoWasmThreadsFor).
    expect(dln.stderr).toMatch(/training [\d,]+ parameters with wasm \(1 thread\(s\)\) on /);
  });
});

describe('reading stored runs', () => {
  it('list --json has both runs, completed on wasm, at their last step', async () => {
    const runs = await runCliJson<RunRecord[]>(['list', '--json'], home);
    const byId = new Map(runs.map((r) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual([vggId, dlnId].sort());
    for (const [id, steps] of [
      [vggId, VGG_STEPS],
      [dlnId, DLN_STEPS],
    ] as const) {
      const run = byId.get(id);
      expect(run?.status).toBe('completed');
      expect(run?.backend).toBe('wasm');
      expect(run?.lastStep).toBe(steps);
      expect(run?.error).toBeNull();
    }
  });

  it('show --json has the config as run and the series vgg-tiny logs', async () => {
    const show = await runCliJson<ShowJson>(['show', vggId, '--json'], home);
    expect(show.run.id).toBe(vggId);
    expect(show.run.config.backend).toBe('wasm');
    expect(show.run.config.data).toMatchObject({ dir: SHARED_CIFAR10, trainLimit: 256 });
    expect(show.run.config.schedule).toMatchObject({ steps: VGG_STEPS, batchSize: 32 });
    const series = new Map(show.series.map((s) => [s.name, s]));
    for (const name of ['train/loss', 'train/accuracy']) {
      expect(series.get(name)).toMatchObject({ firstStep: 1, lastStep: VGG_STEPS });
    }
    expect(series.get('test/accuracy')).toMatchObject({ firstStep: 0, lastStep: VGG_STEPS });
    const acc = series.get('test/accuracy')?.last;
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    // Probes: the landscape at steps 1, 2, 4; the activations at 1, 3; the norms with the train metrics.
    expect(series.get('probe/landscape/beta_eff')).toMatchObject({ firstStep: 1, lastStep: 4 });
    expect(series.get('probe/activations/layer2/var')).toMatchObject({ firstStep: 1, lastStep: 3 });
    expect(series.get('probe/norms/grad_norm/total')).toMatchObject({ firstStep: 1, lastStep: 4 });
    expect(show.probes).toEqual([
      { probe: 'landscape', records: 3, firstStep: 1, lastStep: 4, errors: 0, lastError: null },
      { probe: 'activations', records: 2, firstStep: 1, lastStep: 3, errors: 0, lastError: null },
    ]);
    // The final checkpoint is taken at the last step.
    expect(show.checkpoints.map((c) => c.step)).toEqual([VGG_STEPS]);
    expect(show.checkpoints[0]?.size).toBeGreaterThan(0);
  });

  it('show --json of dln25 has train/loss and no classification series', async () => {
    const show = await runCliJson<ShowJson>(['show', dlnId, '--json'], home);
    const names = show.series.map((s) => s.name);
    expect(names).toContain('train/loss');
    expect(names).not.toContain('train/accuracy');
    expect(names.filter((n) => n.startsWith('test/'))).toEqual([]);
    expect(show.series.find((s) => s.name === 'train/loss')).toMatchObject({
      firstStep: 1,
      lastStep: DLN_STEPS,
    });
  });

  it('export --format csv has the header and one row per logged point, matching export --format json', async () => {
    const [csv, json] = await Promise.all([
      runCli(['export', vggId, '--format', 'csv'], home),
      runCliJson<ExportJson>(['export', vggId, '--format', 'json'], home),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('series,step,value,time');
    const rows = lines.slice(1).map((line) => line.split(','));
    const stepsOf = (name: string): number[] => rows.filter((r) => r[0] === name).map((r) => Number(r[1]));
    for (const name of ['train/loss', 'train/accuracy', 'perf/examples_per_sec'])
      expect(stepsOf(name)).toEqual(VGG_TRAIN_STEPS);
    for (const name of ['test/loss', 'test/accuracy']) expect(stepsOf(name)).toEqual(VGG_TEST_STEPS);
    expect(rows.filter((r) => !r[0]?.startsWith('probe/'))).toHaveLength(
      3 * VGG_TRAIN_STEPS.length + 2 * VGG_TEST_STEPS.length,
    );
    expect(stepsOf('probe/landscape/loss_max')).toEqual([1, 2, 4]);

    // The JSON export also holds the probes' structured records: here the landscape's per-eta points.
    const landscape = json.probes.filter((r) => r.probe === 'landscape');
    expect(landscape.map((r) => r.step)).toEqual([1, 2, 4]);
    expect(landscape[0]?.data).toMatchObject({ multipliers: [0.5, 1, 2, 4], lr: 0.1 });
    expect((landscape[0]?.data.losses as unknown[]).length).toBe(4);
    const hist = json.probes.find((r) => r.probe === 'activations')?.data;
    expect((hist?.counts as number[]).reduce((a, b) => a + b, 0)).toBe(32 * 16 * 16);

    // The JSON export holds the same points: same values (to the bit), same times.
    expect(json.run.id).toBe(vggId);
    const fromJson = Object.entries(json.series).flatMap(([name, points]) =>
      points.map((p) => [name, String(p.step), String(p.value), new Date(p.time).toISOString()]),
    );
    expect(rows).toEqual(fromJson);
    for (const r of rows) {
      expect(Number.isFinite(Number(r[2]))).toBe(true);
      const t = Date.parse(r[3] as string);
      expect(t).toBeGreaterThanOrEqual(json.run.startedAt as number);
      expect(t).toBeLessThanOrEqual(json.run.endedAt as number);
    }
  });

  it('export --format csv of dln25 logs train/loss at its metric steps', async () => {
    const csv = await runCli(['export', dlnId, '--format', 'csv'], home);
    expect(csv.code, csv.stderr).toBe(0);
    const steps = csv.stdout
      .split('\n')
      .filter((l) => l.startsWith('train/loss,'))
      .map((l) => Number(l.split(',')[1]));
    expect(steps).toEqual(DLN_TRAIN_STEPS);
  });
});

describe('machine and experiment info', () => {
  it('presets --json lists every preset with its resolved config', async () => {
    const presets = await runCliJson<(Preset & { resolved: { schedule: { steps: number } } })[]>(
      ['presets', '--json'],
      home,
    );
    const names = presets.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['dln25-plain', 'dln25-bn', 'vgg16-bn', 'vgg-tiny-bn']));
    for (const p of presets) {
      expect(p.description.length).toBeGreaterThan(0);
      expect(p.resolved.schedule.steps).toBe(p.config.schedule.steps);
    }
    // Defaults are filled in the resolved form.
    const tiny = presets.find((p) => p.name === 'vgg-tiny-bn') as unknown as {
      resolved: { seed: number; backend: string };
    };
    expect(tiny.resolved).toMatchObject({ seed: 0, backend: 'auto' });
  });

  it('backends --json describes the five backends; the TensorFlow ones say why they are unavailable', async () => {
    const reports = await runCliJson<BackendJson[]>(['backends', '--json'], home);
    expect(reports.map((r) => r.name).sort()).toEqual(
      ['cpu', 'tensorflow', 'tensorflow-gpu', 'wasm', 'webgpu'].sort(),
    );
    for (const name of ['tensorflow', 'tensorflow-gpu']) {
      const r = reports.find((x) => x.name === name);
      expect(r?.available).toBe(false);
      expect(r?.reason).toMatch(/tfjs-node/);
    }
    expect(reports.find((r) => r.name === 'wasm')?.available).toBe(true);
    expect(reports.find((r) => r.name === 'cpu')?.available).toBe(true);
  });
});

describe('figures', () => {
  it('run --preset FIGURE trains every run of the figure in turn, as one sweep, overrides applied to each', async () => {
    const fig = dirs.make();
    const r = await runCli(
      ['run', '--preset', 'fig10', '--backend', 'wasm', ...setArgs('schedule.steps=3')],
      fig,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/figure fig10: run 1 of 2, fig10\/plain/);
    expect(r.stderr).toMatch(/figure fig10: run 2 of 2, fig10\/bn/);
    expect(r.stdout).toMatch(/^figure fig10: 2 runs done \(sweep fig10@/m);
    const runs = await runCliJson<RunRecord[]>(['list', '--json'], fig);
    expect(runs.map((x) => [x.name, x.status, x.lastStep]).sort()).toEqual([
      ['fig10/bn', 'completed', 3],
      ['fig10/plain', 'completed', 3],
    ]);
    expect(new Set(runs.map((x) => x.sweepId)).size).toBe(1);
    // Fig 10 is the landscape on the DLN: probed at step 1 (and every 50).
    const show = await runCliJson<ShowJson>(['show', runs[0]?.id ?? '', '--json'], fig);
    expect(show.probes.map((p) => [p.probe, p.records])).toEqual([['landscape', 1]]);
  });
});

describe('loss slices', () => {
  it('slice takes a curve at the latest checkpoint; slices, show and export list it', async () => {
    const r = await runCli(
      ['slice', vggId, '--points', '3', '--batches', '1', '--from', '-0.5', '--to', '0.5'],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    const id = /^slice ([0-9a-z]{8}) completed 3 points$/m.exec(r.stdout)?.[1];
    expect(id, r.stdout).toBeDefined();
    expect(r.stderr).toMatch(/point 3\/3 \(i=2, j=0\) loss \d/);
    const jobs = await runCliJson<
      { id: string; step: number; status: string; points: { alpha: number; loss: number }[] }[]
    >(['slices', vggId, '--json'], home);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id, step: VGG_STEPS, status: 'completed' });
    expect(jobs[0]?.points.map((p) => p.alpha)).toEqual([-0.5, 0, 0.5]);
    const show = await runCli(['show', vggId], home);
    expect(show.stdout).toMatch(new RegExp(`loss slices: ${id} \\(step ${VGG_STEPS}, 1D, 3/3, completed\\)`));
    const exported = await runCliJson<{ slices: { id: string; points: unknown[] }[] }>(
      ['export', vggId, '--format', 'json'],
      home,
    );
    expect(exported.slices.map((j) => [j.id, j.points.length])).toEqual([[id, 3]]);
  });

  it('says what is wrong with a slice request, storing nothing', async () => {
    const [noStep, badDims, neither, unknown] = await Promise.all([
      runCli(['slice', vggId, '--step', '2'], home),
      runCli(['slice', vggId, '--dims', '3'], home),
      runCli(['slice'], home),
      runCli(['slice', '--resume', 'zzzzzzzz'], home),
    ]);
    expectUserError(noStep, new RegExp(`no checkpoint at step 2; it has checkpoints at steps ${VGG_STEPS}`));
    expectUserError(badDims, /invalid parameters for slices\.start:\n.*settings\.dims/);
    expectUserError(neither, /give a run id to start a slice, or --resume SLICE/);
    expectUserError(unknown, /no loss slice "zzzzzzzz"/);
    const jobs = await runCliJson<unknown[]>(['slices', vggId, '--json'], home);
    expect(jobs).toHaveLength(1);
  });
});

describe('user errors exit 2 with a message and no stack trace', () => {
  it('unknown preset', async () => {
    const r = await runCli(['run', '--preset', 'no-such-preset'], home);
    expectUserError(r, /unknown preset "no-such-preset".*dln25-bn/);
  });

  it('a --set value of the wrong type, and a --set without =', async () => {
    const [badValue, noEquals] = await Promise.all([
      runCli(['run', '--preset', 'dln25-bn', '--set', 'optimizer.lr=fast'], home),
      runCli(['run', '--preset', 'dln25-bn', '--set', 'optimizer.lr'], home),
    ]);
    expectUserError(badValue, /optimizer\.lr: .*number/);
    expectUserError(noEquals, /--set expects key=value/);
  });

  it('a --threads count wasm cannot use', async () => {
    const [zero, word] = await Promise.all([
      runCli(['run', '--preset', 'dln25-bn', '--threads', '0'], home),
      runCli(['backends', '--threads', 'many'], home),
    ]);
    expectUserError(zero, /--threads must be a whole number of threads from 1 to 8, or "auto"/);
    expectUserError(word, /--threads must be a whole number of threads from 1 to 8, or "auto"/);
  });

  it('a config file that is not valid JSON', async () => {
    const file = join(dirs.make(), 'broken.json');
    writeFileSync(file, '{ "model": { "network": "dln25", }');
    expectUserError(await runCli(['run', '--config', file], home), /broken\.json is not valid JSON/);
  });

  it('a missing CIFAR-10 folder, given or at the default location, points at `normlab data get cifar10`', async () => {
    const missing = join(dirs.make(), 'no-cifar-here');
    const [given, fallback] = await Promise.all([
      runCli(['run', '--preset', 'vgg-tiny-bn', '--data', missing], home),
      runCli(['run', '--preset', 'vgg-tiny-bn'], home),
    ]);
    expectUserError(given, new RegExp(`CIFAR-10 was not found at ${missing}.*normlab data get cifar10`, 's'));
    expectUserError(
      fallback,
      new RegExp(`not found at ${join(home, 'data', 'cifar-10-batches-bin')}.*normlab data get cifar10`, 's'),
    );
  });

  it('an unknown run id (show, export, resume)', async () => {
    const results = await Promise.all(
      [
        ['show', 'zzzzzzzz'],
        ['export', 'zzzzzzzz', '--format', 'csv'],
        ['resume', 'zzzzzzzz'],
      ].map((args) => runCli(args, home)),
    );
    for (const r of results) expectUserError(r, /no run "zzzzzzzz"/);
  });

  it('--db pointing at a folder', async () => {
    const folder = dirs.make();
    expectUserError(await runCli(['list', '--db', folder], home), /is a folder, not a database file/);
  });

  it('--db pointing at a file that is not SQLite, which is left unchanged byte for byte', async () => {
    const dir = dirs.make();
    const file = join(dir, 'notes.sqlite');
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    bytes.write('my precious notes, not a database\n');
    writeFileSync(file, bytes);
    const [list, run] = await Promise.all([
      runCli(['list', '--db', file], home),
      runCli(['run', '--preset', 'dln25-bn', '--db', file], home),
    ]);
    expectUserError(list, /is not an SQLite database/);
    expectUserError(run, /is not an SQLite database/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // No journal files were created next to it either.
    for (const sidecar of ['-wal', '-shm', '-journal']) expect(existsSync(file + sidecar)).toBe(false);
  });
});

describe('divergence and settings', () => {
  it('a run whose loss becomes non-finite is recorded `diverged` with its step, exit 1, not a crash', async () => {
    const r = await runCli(
      [
        ...['run', '--preset', 'dln25-plain', '--backend', 'wasm'],
        ...setArgs('optimizer.lr=1e12', 'schedule.steps=30', 'schedule.trainMetricsEvery=1'),
      ],
      home,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/internal error|failed/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const m = /^run ([0-9a-z]{8}) diverged at step (\d+)/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const [, id, step] = m as RegExpExecArray;

    const exported = await runCliJson<ExportJson>(['export', id as string, '--format', 'json'], home);
    expect(exported.run).toMatchObject({ status: 'diverged', divergedAtStep: Number(step), error: null });
    // The diverged step is the first whose loss is not finite; every logged loss before it is finite.
    const losses = exported.series['train/loss'] ?? [];
    const firstBad = losses.find((p) => typeof p.value === 'string');
    expect(firstBad?.step).toBe(Number(step));
    expect(losses.filter((p) => p.step < Number(step)).every((p) => typeof p.value === 'number')).toBe(true);
    expect(Number(step)).toBeLessThan(30);
  });

  it('`settings set cifar10Dir DIR` is where a run without --data finds CIFAR-10', async () => {
    const own = dirs.make();
    const run = [
      ...['run', '--preset', 'vgg-tiny-bn', '--backend', 'wasm'],
      ...setArgs('data.trainLimit=64', 'data.testLimit=50', 'schedule.batchSize=32', 'schedule.steps=2'),
    ];
    const before = await runCli(run, own);
    expectUserError(before, /normlab data get cifar10/);

    const set = await runCli(['settings', 'set', 'cifar10Dir', SHARED_CIFAR10], own);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe(`cifar10Dir = ${SHARED_CIFAR10}\n`);

    const after = await runCli(run, own);
    const id = completedId(after, 2);
    const show = await runCliJson<ShowJson>(['show', id, '--json'], own);
    expect(show.run.config.data.dir).toBe(SHARED_CIFAR10);
  });
});
