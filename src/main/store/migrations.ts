/**
 * Schema versioning. The version lives in SQLite's `user_version` header field and NormLab's mark in
 * `application_id`, so both are read without touching any table. Migration i (0-based) takes a
 * database from version i to i + 1 and runs in its own IMMEDIATE transaction together with the
 * version bump: a crash mid-migration leaves the previous version intact, and two processes opening
 * the same old file cannot both apply it (the second re-reads the version under the write lock).
 * Migrations are frozen once released: change the schema by appending one, never by editing one.
 */
import type Database from 'better-sqlite3';
import { UserError } from '../../shared/errors';
import { LodWriter } from './lod';

/** 'NLAB': marks a file as a NormLab database (PRAGMA application_id). */
export const APPLICATION_ID = 0x4e4c4142;

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'runs, series, points, checkpoints, run log',
    up(db) {
      db.exec(`
        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL DEFAULT '',
          config TEXT NOT NULL CHECK (json_valid(config)),
          status TEXT NOT NULL CHECK (status IN
            ('queued', 'running', 'paused', 'completed', 'diverged', 'failed', 'stopped', 'interrupted')),
          backend TEXT,
          device TEXT,
          software_device INTEGER CHECK (software_device IN (0, 1)),
          seed INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          last_step INTEGER,
          error TEXT,
          diverged_at_step INTEGER,
          parent_id TEXT REFERENCES runs (id) ON DELETE SET NULL,
          resumed_from_step INTEGER,
          sweep_id TEXT,
          owner_pid INTEGER,
          owner_host TEXT
        );
        CREATE INDEX runs_by_created ON runs (created_at);
        CREATE INDEX runs_by_status ON runs (status);
        CREATE INDEX runs_by_parent ON runs (parent_id);

        CREATE TABLE series (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          UNIQUE (run_id, name)
        );

        -- One value per (series, step); the primary key is the (series_id, step) index, and
        -- WITHOUT ROWID stores the rows in that order, so a step range is one contiguous read.
        -- nf encodes the non-finite values SQLite cannot keep (see nonFinite.ts).
        CREATE TABLE points (
          series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          value REAL,
          nf INTEGER NOT NULL DEFAULT 0 CHECK (nf BETWEEN 0 AND 4),
          time INTEGER NOT NULL,
          PRIMARY KEY (series_id, step)
        ) WITHOUT ROWID;

        -- bytes last: reading the other columns never walks the blob's overflow pages.
        CREATE TABLE checkpoints (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          size INTEGER NOT NULL,
          meta TEXT CHECK (meta IS NULL OR json_valid(meta)),
          bytes BLOB NOT NULL,
          UNIQUE (run_id, step)
        );

        CREATE TABLE run_log (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          time INTEGER NOT NULL,
          level TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
          message TEXT NOT NULL,
          data TEXT CHECK (data IS NULL OR json_valid(data))
        );
        CREATE INDEX run_log_by_run ON run_log (run_id, id);
      `);
    },
  },
  {
    name: 'probe records',
    up(db) {
      db.exec(`
        -- Structured probe results (histograms, per-eta landscape points, per-unit terms); scalars
        -- go to series/points as every other metric.
        CREATE TABLE probe_records (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          probe TEXT NOT NULL,
          step INTEGER NOT NULL,
          time INTEGER NOT NULL,
          data TEXT NOT NULL CHECK (json_valid(data))
        );
        CREATE INDEX probe_records_by_run ON probe_records (run_id, step);
      `);
    },
  },
  {
    name: 'loss slice jobs',
    up(db) {
      db.exec(`
        -- A loss-slice job (shared/slices.ts): L(w + alpha d1 (+ beta d2)) over a grid at the run's
        -- checkpoint at \`step\`. settings is the SliceSettings JSON; owner_pid/owner_host name the
        -- process computing it while running (see processOwner.ts), so a dead one's job is stopped.
        CREATE TABLE slice_jobs (
          id TEXT PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          settings TEXT NOT NULL CHECK (json_valid(settings)),
          status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'stopped', 'completed', 'failed')),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          error TEXT,
          owner_pid INTEGER,
          owner_host TEXT
        );
        CREATE INDEX slice_jobs_by_run ON slice_jobs (run_id, created_at);

        -- One loss per grid point (i: alpha index, j: beta index, 0 for a curve), stored as it is
        -- computed; (loss, nf) as points' (value, nf), see nonFinite.ts.
        CREATE TABLE slice_points (
          job_id TEXT NOT NULL REFERENCES slice_jobs (id) ON DELETE CASCADE,
          i INTEGER NOT NULL,
          j INTEGER NOT NULL,
          loss REAL,
          nf INTEGER NOT NULL DEFAULT 0 CHECK (nf BETWEEN 0 AND 4),
          PRIMARY KEY (job_id, i, j)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    name: 'tags, notes, queue owners, series summaries, probe series named after their probes',
    up(db) {
      db.exec(`
        -- Notes, and which kind of host owns a queued or running run: an app or serve adopts the
        -- queued runs of a dead app or serve owner; a dead CLI's queued run becomes interrupted.
        ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
        ALTER TABLE runs ADD COLUMN owner_kind TEXT
          CHECK (owner_kind IS NULL OR owner_kind IN ('cli', 'serve', 'electron'));

        -- The config fields the runs table filters and sorts on, read from the stored config (virtual:
        -- computed on read, nothing stored twice) and indexed.
        ALTER TABLE runs ADD COLUMN network TEXT
          GENERATED ALWAYS AS (json_extract(config, '$.model.network')) VIRTUAL;
        ALTER TABLE runs ADD COLUMN normalization TEXT
          GENERATED ALWAYS AS (json_extract(config, '$.model.normalization')) VIRTUAL;
        ALTER TABLE runs ADD COLUMN width REAL
          GENERATED ALWAYS AS (json_extract(config, '$.model.widthMultiplier')) VIRTUAL;
        ALTER TABLE runs ADD COLUMN lr REAL
          GENERATED ALWAYS AS (json_extract(config, '$.optimizer.lr')) VIRTUAL;
        ALTER TABLE runs ADD COLUMN total_steps INTEGER
          GENERATED ALWAYS AS (json_extract(config, '$.schedule.steps')) VIRTUAL;
        CREATE INDEX runs_by_network ON runs (network, normalization, width);
        CREATE INDEX runs_by_normalization ON runs (normalization);
        CREATE INDEX runs_by_lr ON runs (lr);
        CREATE INDEX runs_by_sweep ON runs (sweep_id);
        CREATE INDEX runs_by_name ON runs (name);

        -- Tags: one row per (run, tag); by tag for filtering and counting.
        CREATE TABLE run_tags (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          PRIMARY KEY (run_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX run_tags_by_tag ON run_tags (tag, run_id);

        -- A summary per series, kept up to date by every write of its points (series.ts): lists and
        -- final metrics read it instead of the points. min/max over finite values only (NULL when
        -- none), last as (value, nf) like points (nonFinite.ts).
        ALTER TABLE series ADD COLUMN points INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE series ADD COLUMN first_step INTEGER;
        ALTER TABLE series ADD COLUMN last_step INTEGER;
        ALTER TABLE series ADD COLUMN last_value REAL;
        ALTER TABLE series ADD COLUMN last_nf INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE series ADD COLUMN min_value REAL;
        ALTER TABLE series ADD COLUMN max_value REAL;
        UPDATE series SET
          points = (SELECT count(*) FROM points WHERE series_id = series.id),
          first_step = (SELECT min(step) FROM points WHERE series_id = series.id),
          last_step = (SELECT max(step) FROM points WHERE series_id = series.id),
          last_value = (SELECT value FROM points WHERE series_id = series.id ORDER BY step DESC LIMIT 1),
          last_nf = coalesce((SELECT nf FROM points WHERE series_id = series.id ORDER BY step DESC LIMIT 1), 0),
          min_value = (SELECT min(value) FROM points WHERE series_id = series.id),
          max_value = (SELECT max(value) FROM points WHERE series_id = series.id);

        -- One name per probe (ARCHITECTURE.md "Naming"): every probe series is probe/<config key>/...
        -- act -> activations, bn -> bnGradients, grad_norm and weight_norm under norms, and each probe's
        -- cost under its own name (probe/cost/<probe>/<field> -> probe/<probe>/cost/<field>).
        UPDATE series SET name = 'probe/activations/' || substr(name, 11)
          WHERE substr(name, 1, 10) = 'probe/act/';
        UPDATE series SET name = 'probe/bnGradients/' || substr(name, 10)
          WHERE substr(name, 1, 9) = 'probe/bn/';
        UPDATE series SET name = 'probe/norms/' || substr(name, 7)
          WHERE substr(name, 1, 16) = 'probe/grad_norm/' OR substr(name, 1, 18) = 'probe/weight_norm/';
        UPDATE series SET name = 'probe/' || substr(name, 12, instr(substr(name, 12), '/') - 1) || '/cost/'
            || substr(name, 12 + instr(substr(name, 12), '/'))
          WHERE substr(name, 1, 11) = 'probe/cost/' AND instr(substr(name, 12), '/') > 1;
      `);
    },
  },
  {
    name: 'level-of-detail aggregates of the points',
    up(db) {
      // The table as written here stays; its rows are built by lod.ts's current code, which defines
      // them: a later change of what a row holds must append a migration that rebuilds them.
      db.exec(`
        -- Per series, level (log2 of the block width in steps) and block (step >> level): point
        -- count, count and sum of the finite values, min and max finite value with the first step
        -- each occurs at, and the last point; (value, nf) pairs as in points (nonFinite.ts).
        CREATE TABLE point_lod (
          series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
          level INTEGER NOT NULL,
          block INTEGER NOT NULL,
          n INTEGER NOT NULL,
          fn INTEGER NOT NULL,
          sum REAL,
          min_step INTEGER,
          min_value REAL,
          min_nf INTEGER,
          max_step INTEGER,
          max_value REAL,
          max_nf INTEGER,
          last_step INTEGER NOT NULL,
          last_value REAL,
          last_nf INTEGER NOT NULL,
          PRIMARY KEY (series_id, level, block)
        ) WITHOUT ROWID;
      `);
      new LodWriter(db).rebuildAll();
    },
  },
  {
    name: 'noisy batch norm runs keep the alea generator they ran with',
    up(db) {
      db.exec(`
        -- model.noisy.generator (shared/config.ts) chooses Algorithm 1's random numbers and reads philox
        -- when absent. Every noisy-batch run stored before it existed drew alea's numbers: it keeps them,
        -- so that it resumes and replays as it ran. Runs of other normalizations draw no noise and keep
        -- their configs as stored (they then read as new runs of the same config do).
        UPDATE runs SET config = json_set(config, '$.model.noisy.generator', 'alea')
          WHERE normalization = 'noisy-batch'
            AND json_extract(config, '$.model.noisy.generator') IS NULL;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface SchemaState {
  version: number;
  applicationId: number;
  /** No tables, indexes or views yet. */
  empty: boolean;
}

/**
 * The three reads share one read transaction (one snapshot): read one by one, a process creating the
 * database at the same moment could be seen half done (tables there, application_id not yet).
 */
export function readSchemaState(db: Database.Database): SchemaState {
  return db.transaction((): SchemaState => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const objects = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number;
    return { version, applicationId, empty: objects === 0 };
  })();
}

/**
 * Refuses, before anything is written, a database of another program or of a newer NormLab: the
 * first would be damaged by our tables, the second has a schema this build cannot read correctly.
 */
export function assertCompatible(db: Database.Database, path: string, known = SCHEMA_VERSION): SchemaState {
  const state = readSchemaState(db);
  const fresh = state.applicationId === 0 && state.version === 0 && state.empty;
  if (!fresh && state.applicationId !== APPLICATION_ID) {
    throw new UserError(
      'config',
      `${path} is an SQLite database of another program, not a NormLab database; NormLab left it unchanged. ` +
        'Choose another database file (--db).',
    );
  }
  if (state.version > known) {
    throw new UserError(
      'config',
      `${path} was written by a newer NormLab (database schema v${state.version}; this NormLab reads up to ` +
        `v${known}). Update NormLab, or choose another database file (--db).`,
    );
  }
  return state;
}

/** Applies the migrations the database lacks, in order, one transaction each; returns their versions. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  for (;;) {
    const current = db.pragma('user_version', { simple: true }) as number;
    const migration = migrations[current];
    if (!migration) return applied;
    const step = db.transaction(() => {
      // Re-read under the write lock: another process may have migrated since.
      if (db.pragma('user_version', { simple: true }) !== current) return;
      migration.up(db);
      if (db.pragma('application_id', { simple: true }) === 0)
        db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${current + 1}`);
      applied.push(current + 1);
    });
    step.immediate();
  }
}
