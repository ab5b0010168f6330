/**
 * Structured probe results (shared/probes.ts ProbeRecord): histograms with their bin edges, the
 * landscape's per-eta points, per-unit terms, and why a probe could not run at a step. One row per
 * record; the JSON keeps non-finite numbers (a diverging eta is a result) as the strings "NaN",
 * "Infinity" and "-Infinity", which JSON itself cannot hold, and reads them back as numbers.
 */
import type Database from 'better-sqlite3';
import type { ProbeName, ProbeRecord } from '../../shared/probes';
import type { StoredProbeRecord } from '../../shared/runTypes';
import { notFound } from './runs';
import { sqliteCode } from './sqliteErrors';

interface RecordRow {
  id: number;
  probe: ProbeName;
  step: number;
  time: number;
  data: string;
}

/** What a run's records of one probe hold, without their data (shared/api.ts probeSummarySchema). */
export interface ProbeSummary {
  probe: ProbeName;
  records: number;
  firstStep: number;
  lastStep: number;
  /** Records saying why the probe could not be computed at their step, and the last reason. */
  errors: number;
  lastError: string | null;
}

interface SummaryRow {
  probe: ProbeName;
  records: number;
  first_step: number;
  last_step: number;
  errors: number;
  last_error: string | null;
}

export interface ProbeRecordFilter {
  probe?: ProbeName;
  fromStep?: number;
  toStep?: number;
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

export function encodeRecordData(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

export function decodeRecordData(text: string): Record<string, unknown> {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'string' && NON_FINITE.has(value) ? Number(value) : value,
  ) as Record<string, unknown>;
}

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<[{ runId: string; probe: string; step: number; time: number; data: string }]>(
      'INSERT INTO probe_records (run_id, probe, step, time, data) VALUES (@runId, @probe, @step, @time, @data)',
    ),
    list: db.prepare<[string, string | null, string | null, number, number], RecordRow>(
      `SELECT id, probe, step, time, data FROM probe_records
       WHERE run_id = ? AND (? IS NULL OR probe = ?) AND step BETWEEN ? AND ?
       ORDER BY step, id`,
    ),
    truncate: db.prepare<[string, number]>('DELETE FROM probe_records WHERE run_id = ? AND step > ?'),
    // In the order the probes first reported, as the records are listed.
    summary: db.prepare<[string], SummaryRow>(
      `SELECT probe, count(*) AS records, min(step) AS first_step, max(step) AS last_step,
         count(CASE WHEN json_type(data, '$.error') = 'text' THEN 1 END) AS errors,
         (SELECT json_extract(e.data, '$.error') FROM probe_records e
          WHERE e.run_id = p.run_id AND e.probe = p.probe AND json_type(e.data, '$.error') = 'text'
          ORDER BY e.step DESC, e.id DESC LIMIT 1) AS last_error
       FROM probe_records p WHERE run_id = ? GROUP BY probe ORDER BY min(step), min(id)`,
    ),
  };
}

export class ProbeRecordsRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Appends the records in one transaction. */
  append(runId: string, records: readonly ProbeRecord[]): void {
    if (records.length === 0) return;
    const time = Date.now();
    try {
      this.db.transaction(() => {
        for (const r of records) {
          this.sql.insert.run({ runId, probe: r.probe, step: r.step, time, data: encodeRecordData(r.data) });
        }
      })();
    } catch (e) {
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw notFound(runId);
      throw e;
    }
  }

  /** By step, then in the order they were written. */
  list(runId: string, filter: ProbeRecordFilter = {}): StoredProbeRecord[] {
    const probe = filter.probe ?? null;
    return (
      this.sql.list
        .all(
          runId,
          probe,
          probe,
          filter.fromStep ?? Number.MIN_SAFE_INTEGER,
          filter.toStep ?? Number.MAX_SAFE_INTEGER,
        )
        // Written from ProbeRecords (append), so the data matches its probe's schema.
        .map(
          (r) =>
            ({
              probe: r.probe,
              step: r.step,
              time: r.time,
              data: decodeRecordData(r.data),
            }) as StoredProbeRecord,
        )
    );
  }

  /** Per probe: records, step range and errors, computed in SQL. */
  summary(runId: string): ProbeSummary[] {
    return this.sql.summary.all(runId).map((r) => ({
      probe: r.probe,
      records: r.records,
      firstStep: r.first_step,
      lastStep: r.last_step,
      errors: r.errors,
      lastError: r.last_error,
    }));
  }

  truncateAfter(runId: string, step: number): number {
    return this.sql.truncate.run(runId, step).changes;
  }
}
