import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Migration } from '../../../src/main/store/migrations';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate } from '../../../src/main/store/migrations';
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
