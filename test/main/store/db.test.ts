import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/shared/errors';
import { openDatabase } from '../../../src/main/store/db';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/main/store/migrations';
import { openStore } from '../../../src/main/store/index';
import { makeTempDirs, sampleConfig } from './fixtures/storeFixtures';

const temp = makeTempDirs();
afterAll(temp.cleanup);

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function userErrorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isUserError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('openDatabase', () => {
  it('creates the file and its missing parent folders, in WAL mode with the documented pragmas', () => {
    const path = join(temp.dir(), 'a', 'b', 'c', 'normlab.sqlite');
    const db = openDatabase(path, { busyTimeoutMs: 1234 });
    try {
      expect(existsSync(path)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // INCREMENTAL
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    } finally {
      db.close();
    }
  });

  it('reopens an existing database without migrating it again', () => {
    const path = join(temp.dir(), 'n.sqlite');
    const store = openStore(path);
    const id = store.createRun(sampleConfig());
    store.close();
    const again = openStore(path);
    expect(again.getRun(id)?.name).toBe('dln');
    again.close();
  });

  it('refuses a folder, saying to give a file path', () => {
    const dir = temp.dir();
    const err = userErrorOf(() => openDatabase(dir));
    expect(err.code).toBe('io');
    expect(err.message).toContain('is a folder');
    expect(err.message).toContain(join(dir, 'normlab.sqlite'));
  });

  it('refuses a path below a file (its folder cannot be created)', () => {
    const file = join(temp.dir(), 'plain.txt');
    writeFileSync(file, 'x');
    const err = userErrorOf(() => openDatabase(join(file, 'sub', 'n.sqlite')));
    expect(err.code).toBe('io');
    expect(err.message).toContain('is a file');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a file that is not SQLite and leaves it byte for byte unchanged', () => {
    const path = join(temp.dir(), 'notes.sqlite');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = sha(path);
    const err = userErrorOf(() => openStore(path));
    expect(err.code).toBe('io');
    expect(err.message).toContain('not an SQLite database');
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("refuses another program's SQLite database and leaves it unchanged", () => {
    const path = join(temp.dir(), 'other.db');
    const other = new Database(path);
    other.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada')");
    other.close();
    const before = sha(path);
    const err = userErrorOf(() => openStore(path));
    expect(err.code).toBe('config');
    expect(err.message).toContain('another program');
    expect(sha(path)).toBe(before);
    const check = new Database(path);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('refuses a database from a newer NormLab, saying to update, without touching it', () => {
    const path = join(temp.dir(), 'newer.sqlite');
    openStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(path);
    const err = userErrorOf(() => openStore(path));
    expect(err.code).toBe('config');
    expect(err.message).toContain('newer NormLab');
    expect(err.message).toContain('Update NormLab');
    expect(sha(path)).toBe(before);
  });

  it('opens an empty file as a new database', () => {
    const dir = temp.dir();
    mkdirSync(join(dir, 'x'));
    const path = join(dir, 'x', 'empty.sqlite');
    writeFileSync(path, '');
    const store = openStore(path);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('supports a private in-memory database', () => {
    const store = openStore(':memory:');
    const id = store.createRun(sampleConfig());
    expect(store.getRun(id)?.status).toBe('queued');
    store.close();
  });
});
