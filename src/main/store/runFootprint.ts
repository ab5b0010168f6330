/**
 * What a set of runs holds in the database, counted without reading their data (points from the
 * series summaries, checkpoint sizes from their rows): what deleting them removes.
 */
import type Database from 'better-sqlite3';

export interface RunFootprint {
  points: number;
  probeRecords: number;
  checkpoints: number;
  checkpointBytes: number;
  slices: number;
}

const IDS = '(SELECT value FROM json_each(@ids))';

export class RunFootprintRepo {
  private readonly statement: Database.Statement<[{ ids: string }], RunFootprint>;

  constructor(db: Database.Database) {
    this.statement = db.prepare<[{ ids: string }], RunFootprint>(
      `SELECT
         (SELECT coalesce(sum(points), 0) FROM series WHERE run_id IN ${IDS}) AS points,
         (SELECT count(*) FROM probe_records WHERE run_id IN ${IDS}) AS probeRecords,
         (SELECT count(*) FROM checkpoints WHERE run_id IN ${IDS}) AS checkpoints,
         (SELECT coalesce(sum(size), 0) FROM checkpoints WHERE run_id IN ${IDS}) AS checkpointBytes,
         (SELECT count(*) FROM slice_jobs WHERE run_id IN ${IDS}) AS slices`,
    );
  }

  of(runIds: readonly string[]): RunFootprint {
    return this.statement.get({ ids: JSON.stringify(runIds) }) as RunFootprint;
  }
}
