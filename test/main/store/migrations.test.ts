import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Migration } from '../../../src/main/store/migrations';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate } from '../../../src/main/store/migrations';
import { modelSchema } from '../../../src/shared/config';
import { RUN_STATUSES } from '../../../src/shared/runTypes';
import { makeTempDirs } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

const version = (db: Database.Database) => db.pragma('user_version', { simple: true });

const addTags: Migration = {
  name: 'run tags',
  up: (db) => db.exec("ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'"),
};
const addNotes: Migration = {
  name: 'run notes',
  up: (db) => db.exec('CREATE TABLE notes (run_id TEXT REFERENCES runs (id), body TEXT)'),
};

function insertRun(db: Database.Database, id: string): void {
  db.prepare(
    "INSERT INTO runs (id, config, status, seed, created_at) VALUES (?, '{}', 'completed', 1, 1)",
  ).run(id);
}

describe('migrate', () => {
  it('brings a new database to the current version, one applied migration per version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    expect(version(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('migrates an old-version file, applying only the missing migrations and keeping its data', () => {
    const path = join(temp.dir(), 'old.sqlite');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS); // as written by the older NormLab
    insertRun(old, 'keepme01');
    old.close();

    const db = new Database(path);
    const calls: string[] = [];
    const spy = (m: Migration): Migration => ({ name: m.name, up: (d) => (calls.push(m.name), m.up(d)) });
    const newer = [...MIGRATIONS.map(spy), spy(addTags), spy(addNotes)];
    expect(migrate(db, newer)).toEqual([SCHEMA_VERSION + 1, SCHEMA_VERSION + 2]);
    expect(calls).toEqual(['run tags', 'run notes']);
    expect(version(db)).toBe(SCHEMA_VERSION + 2);
    expect(db.prepare('SELECT id, tags FROM runs').all()).toEqual([{ id: 'keepme01', tags: '[]' }]);
    db.close();
  });

  it('rolls a failing migration back completely, version included', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken: Migration = {
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half_done (x)');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, addTags, broken])).toThrow('boom');
    // The migration before it committed on its own; the broken one left nothing.
    expect(version(db)).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });

  it("the runs table accepts exactly the shared run statuses (the migration's frozen list matches)", () => {
    const db = new Database(':memory:');
    migrate(db);
    RUN_STATUSES.forEach((status, i) =>
      db
        .prepare("INSERT INTO runs (id, config, status, seed, created_at) VALUES (?, '{}', ?, 0, 0)")
        .run(`s${i}`, status),
    );
    expect(() =>
      db
        .prepare(
          "INSERT INTO runs (id, config, status, seed, created_at) VALUES ('bad', '{}', 'exploded', 0, 0)",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});

describe('migration 4: tags, notes, queue owners, series summaries, probe series names', () => {
  /** A database as NormLab wrote it at schema v3, with a run, its series and points. */
  function v3Database(path: string): void {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(version(db)).toBe(3);
    const config = JSON.stringify({
      model: { network: 'vgg16', normalization: 'batch', widthMultiplier: 0.25 },
      optimizer: { name: 'sgd', lr: 0.1 },
      schedule: { steps: 2000 },
    });
    db.prepare(
      "INSERT INTO runs (id, config, status, seed, created_at, owner_pid, owner_host) VALUES ('old00001', ?, 'queued', 3, 5, NULL, NULL)",
    ).run(config);
    const series = db.prepare('INSERT INTO series (run_id, name) VALUES (?, ?) RETURNING id').pluck();
    const point = db.prepare('INSERT INTO points (series_id, step, value, nf, time) VALUES (?, ?, ?, ?, 0)');
    const act = series.get('old00001', 'probe/act/layer2/var') as number;
    const bn = series.get('old00001', 'probe/bn/layer1/factor') as number;
    const loss = series.get('old00001', 'train/loss') as number;
    series.get('old00001', 'probe/activity/x');
    for (const name of [
      'probe/grad_norm/total',
      'probe/weight_norm/layer3',
      'probe/cost/landscape/ms',
      'probe/cost/bnGradients/forward_passes',
    ]) {
      series.get('old00001', name);
    }
    point.run(act, 1, 0.5, 0);
    point.run(bn, 1, 2, 0);
    point.run(loss, 1, 3, 0);
    point.run(loss, 2, 1, 0);
    point.run(loss, 3, null, 1);
    db.close();
  }

  it('renames probe series, backfills the summaries and reads the config columns of old runs', () => {
    const path = join(temp.dir(), 'v3.sqlite');
    v3Database(path);
    const db = new Database(path);
    expect(migrate(db)).toEqual(Array.from({ length: SCHEMA_VERSION - 3 }, (_, i) => i + 4));
    const series = db
      .prepare(
        'SELECT name, points, first_step, last_step, last_value, last_nf, min_value, max_value FROM series ORDER BY name',
      )
      .all();
    const empty = {
      points: 0,
      first_step: null,
      last_step: null,
      last_value: null,
      last_nf: 0,
      min_value: null,
      max_value: null,
    };
    expect(series).toEqual([
      {
        name: 'probe/activations/layer2/var',
        points: 1,
        first_step: 1,
        last_step: 1,
        last_value: 0.5,
        last_nf: 0,
        min_value: 0.5,
        max_value: 0.5,
      },
      // A name that only starts like an old prefix is left alone.
      { name: 'probe/activity/x', ...empty },
      { name: 'probe/bnGradients/cost/forward_passes', ...empty },
      {
        name: 'probe/bnGradients/layer1/factor',
        points: 1,
        first_step: 1,
        last_step: 1,
        last_value: 2,
        last_nf: 0,
        min_value: 2,
        max_value: 2,
      },
      { name: 'probe/landscape/cost/ms', ...empty },
      { name: 'probe/norms/grad_norm/total', ...empty },
      { name: 'probe/norms/weight_norm/layer3', ...empty },
      {
        name: 'train/loss',
        points: 3,
        first_step: 1,
        last_step: 3,
        last_value: null,
        last_nf: 1,
        min_value: 1,
        max_value: 3,
      },
    ]);
    expect(
      db.prepare('SELECT network, normalization, width, lr, total_steps, notes, owner_kind FROM runs').get(),
    ).toEqual({
      network: 'vgg16',
      normalization: 'batch',
      width: 0.25,
      lr: 0.1,
      total_steps: 2000,
      notes: '',
      owner_kind: null,
    });
    db.prepare("INSERT INTO run_tags (run_id, tag) VALUES ('old00001', 'baseline')").run();
    db.prepare("DELETE FROM runs WHERE id = 'old00001'").run();
    expect(db.prepare('SELECT count(*) FROM run_tags').pluck().get()).toBe(0);
    db.close();
  });
});

describe('migration 6: noisy batch norm runs keep the alea generator', () => {
  const noisy = { meanRange: 0.5, sigmaLow: 1, sigmaHigh: 1.25, meanJitter: 0.1, sigmaStd: 0.1 };
  const stored = {
    oldNoisy: { seed: 1, model: { network: 'mlp', normalization: 'noisy-batch', noisy } },
    // A partial config (every field has a default): the generator is added all the same.
    oldNoisyPartial: { model: { network: 'mlp', normalization: 'noisy-batch' } },
    oldBatch: { seed: 1, model: { network: 'mlp', normalization: 'batch', noisy } },
    oldPlain: { model: { network: 'dln25' } },
    chosen: {
      model: { network: 'mlp', normalization: 'noisy-batch', noisy: { ...noisy, generator: 'philox' } },
    },
  };

  it('sets generator alea on noisy-batch configs without one, and leaves every other config as stored', () => {
    const path = join(temp.dir(), 'v5.sqlite');
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 5));
    const insert = old.prepare(
      "INSERT INTO runs (id, config, status, seed, created_at) VALUES (?, ?, 'completed', 1, 1)",
    );
    for (const [id, config] of Object.entries(stored)) insert.run(id, JSON.stringify(config));
    old.close();

    const db = new Database(path);
    expect(migrate(db, MIGRATIONS.slice(0, 6))).toEqual([6]);
    const rows = db.prepare('SELECT id, config FROM runs ORDER BY id').all() as {
      id: string;
      config: string;
    }[];
    const configs = Object.fromEntries(rows.map((r) => [r.id, JSON.parse(r.config) as unknown]));
    expect(configs).toEqual({
      oldNoisy: {
        ...stored.oldNoisy,
        model: { ...stored.oldNoisy.model, noisy: { ...noisy, generator: 'alea' } },
      },
      oldNoisyPartial: { model: { ...stored.oldNoisyPartial.model, noisy: { generator: 'alea' } } },
      oldBatch: stored.oldBatch,
      oldPlain: stored.oldPlain,
      chosen: stored.chosen,
    });
    // Read by today's schema: the old noisy runs draw alea's numbers again, every other run philox's.
    const generator = (id: string) =>
      modelSchema.parse((configs[id] as { model: unknown }).model).noisy.generator;
    expect(['oldNoisy', 'oldNoisyPartial', 'oldBatch', 'chosen'].map(generator)).toEqual([
      'alea',
      'alea',
      'philox',
      'philox',
    ]);
    // The runs table still reads its config columns.
    expect(db.prepare("SELECT normalization FROM runs WHERE id = 'oldNoisy'").pluck().get()).toBe(
      'noisy-batch',
    );
    db.close();
  });
});
