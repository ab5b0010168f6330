/**
 * The runs table as the app shows it (shared/api.ts RunRow): searched, filtered, sorted and paged in
 * SQL, one row per run with its tags and its final metrics read from the series summaries
 * (seriesSummary.ts), so a page costs the same with 10 or 10,000 runs stored and never reads a point.
 * Filters use the indexes of the config columns (network, normalization, lr), the tags table and
 * created_at.
 */
import type Database from 'better-sqlite3';
import type { RunRow, RunSortKey } from '../../shared/api';
import type { RunStatus } from '../../shared/runTypes';
import { decodeValue } from './nonFinite';

/** A runs.list query with its defaults filled in (shared/api.ts runQuerySchema). */
export interface RunTableQuery {
  search?: string | undefined;
  status?: RunStatus[] | undefined;
  tags?: string[] | undefined;
  network?: string | undefined;
  normalization?: string | undefined;
  sweepId?: string | undefined;
  sort: RunSortKey;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

interface TableRow {
  id: string;
  name: string;
  status: RunStatus;
  network: string | null;
  normalization: string | null;
  optimizer: string | null;
  lr: number | null;
  batch_size: number | null;
  seed: number;
  dataset: string | null;
  total_steps: number | null;
  last_step: number | null;
  backend: string | null;
  device: string | null;
  software_device: number | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  diverged_at_step: number | null;
  error: string | null;
  sweep_id: string | null;
  parent_id: string | null;
  notes: string;
  tags: string;
  tl_id: number | null;
  tl_value: number | null;
  tl_nf: number | null;
  ta_id: number | null;
  ta_value: number | null;
  ta_nf: number | null;
  te_id: number | null;
  te_value: number | null;
  te_nf: number | null;
}

/** The series behind RunRow.final. */
const FINAL = { tl: 'train/loss', ta: 'train/accuracy', te: 'test/accuracy' } as const;

const SELECT = `
  SELECT r.id, r.name, r.status, r.network, r.normalization,
    json_extract(r.config, '$.optimizer.name') AS optimizer, r.lr,
    json_extract(r.config, '$.schedule.batchSize') AS batch_size, r.seed,
    json_extract(r.config, '$.data.dataset') AS dataset, r.total_steps, r.last_step, r.backend, r.device,
    r.software_device, r.created_at, r.started_at, r.ended_at, r.diverged_at_step, r.error, r.sweep_id,
    r.parent_id, r.notes,
    (SELECT json_group_array(tag) FROM (SELECT tag FROM run_tags WHERE run_id = r.id ORDER BY tag)) AS tags,
    ${Object.keys(FINAL)
      .map((k) => `${k}.id AS ${k}_id, ${k}.last_value AS ${k}_value, ${k}.last_nf AS ${k}_nf`)
      .join(', ')}
  FROM runs r
    ${Object.entries(FINAL)
      .map(
        ([k, name]) =>
          `LEFT JOIN series ${k} ON ${k}.run_id = r.id AND ${k}.name = '${name}' AND ${k}.points > 0`,
      )
      .join('\n    ')}`;

/**
 * SQL of each sort key, whether it can be NULL (NULLs sort last in either order; a key that cannot be
 * NULL sorts on its index alone), and the final-metric series it needs joined.
 */
const SORT_SQL: Record<RunSortKey, { sql: string; nullable: boolean; join?: keyof typeof FINAL }> = {
  created: { sql: 'r.created_at', nullable: false },
  name: { sql: 'r.name COLLATE NOCASE', nullable: false },
  status: { sql: 'r.status', nullable: false },
  network: { sql: 'r.network', nullable: true },
  normalization: { sql: 'r.normalization', nullable: true },
  lr: { sql: 'r.lr', nullable: true },
  seed: { sql: 'r.seed', nullable: false },
  steps: { sql: 'r.last_step', nullable: true },
  trainLoss: { sql: 'tl.last_value', nullable: true, join: 'tl' },
  testAccuracy: { sql: 'te.last_value', nullable: true, join: 'te' },
};

/** LIKE's wildcards and the escape character, escaped: a search matches what was typed. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class RunTableRepo {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly byId: Database.Statement<[string], TableRow>;
  private readonly byIds: Database.Statement<[{ ids: string }], TableRow>;
  private readonly tagCounts: Database.Statement<[], { tag: string; count: number }>;

  constructor(private readonly db: Database.Database) {
    this.byId = db.prepare<[string], TableRow>(`${SELECT} WHERE r.id = ?`);
    this.byIds = db.prepare<[{ ids: string }], TableRow>(
      `${SELECT} WHERE r.id IN (SELECT value FROM json_each(@ids))`,
    );
    this.tagCounts = db.prepare<[], { tag: string; count: number }>(
      'SELECT tag, count(*) AS count FROM run_tags GROUP BY tag ORDER BY tag',
    );
  }

  /** One page of the table and how many runs match in all. */
  list(q: RunTableQuery): { total: number; rows: RunRow[] } {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const words = (q.search ?? '').split(/\s+/).filter((w) => w.length > 0);
    words.forEach((word, k) => {
      // Every word must appear in one of the run's texts (id, name, notes, config columns, tags).
      params[`w${k}`] = likePattern(word);
      const p = `@w${k}`;
      where.push(
        `(r.id LIKE ${p} ESCAPE '\\' OR r.name LIKE ${p} ESCAPE '\\' OR r.notes LIKE ${p} ESCAPE '\\'
          OR r.network LIKE ${p} ESCAPE '\\' OR r.normalization LIKE ${p} ESCAPE '\\'
          OR r.backend LIKE ${p} ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag LIKE ${p} ESCAPE '\\'))`,
      );
    });
    if (q.status && q.status.length > 0) {
      params['statuses'] = JSON.stringify(q.status);
      where.push('r.status IN (SELECT value FROM json_each(@statuses))');
    }
    (q.tags ?? []).forEach((tag, k) => {
      params[`t${k}`] = tag;
      where.push(`r.id IN (SELECT run_id FROM run_tags WHERE tag = @t${k})`);
    });
    for (const [key, column] of [
      ['network', 'r.network'],
      ['normalization', 'r.normalization'],
      ['sweepId', 'r.sweep_id'],
    ] as const) {
      const value = q[key];
      if (value === undefined) continue;
      params[key] = value;
      where.push(`${column} = @${key}`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.statement(`SELECT count(*) FROM runs r ${filter}`).pluck().get(params) as number;
    // Two steps: the page's ids, ordered on the sort column alone (an index walk for most keys), then
    // the full rows of those ids only (tags, metrics, config fields are not computed for the rest).
    const sort = SORT_SQL[q.sort];
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    const join = sort.join
      ? `LEFT JOIN series ${sort.join} ON ${sort.join}.run_id = r.id AND ${sort.join}.name = '${FINAL[sort.join]}' AND ${sort.join}.points > 0`
      : '';
    const order = [
      ...(sort.nullable ? [`(${sort.sql}) IS NULL`] : []),
      `${sort.sql} ${dir}`,
      ...(q.sort === 'created' ? [] : [`r.created_at ${dir}`]),
      `r.rowid ${dir}`,
    ].join(', ');
    const page = this.statement(
      `SELECT r.id FROM runs r ${join} ${filter} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
      .pluck()
      .all({ ...params, limit: q.limit, offset: q.offset }) as string[];
    if (page.length === 0) return { total, rows: [] };
    const byId = new Map((this.byIds.all({ ids: JSON.stringify(page) }) as TableRow[]).map((r) => [r.id, r]));
    const rows = page.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toRunRow(r)] : [];
    });
    return { total, rows };
  }

  row(id: string): RunRow | undefined {
    const r = this.byId.get(id);
    return r && toRunRow(r);
  }

  /** Every tag in use with how many runs carry it, by name. */
  tags(): { tag: string; count: number }[] {
    return this.tagCounts.all();
  }

  private statement(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      // Queries differ only by which filters are present: a few dozen shapes at most.
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }
}

function finalValue(id: number | null, value: number | null, nf: number | null): number | null {
  return id === null ? null : decodeValue(value, nf ?? 0);
}

function toRunRow(r: TableRow): RunRow {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    network: r.network ?? '',
    normalization: r.normalization ?? '',
    optimizer: r.optimizer ?? '',
    lr: r.lr ?? 0,
    batchSize: r.batch_size ?? 0,
    seed: r.seed,
    dataset: r.dataset ?? '',
    totalSteps: r.total_steps ?? 0,
    lastStep: r.last_step,
    backend: r.backend,
    device: r.device,
    softwareDevice: r.software_device === null ? null : r.software_device === 1,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    divergedAtStep: r.diverged_at_step,
    error: r.error,
    sweepId: r.sweep_id,
    parentId: r.parent_id,
    tags: JSON.parse(r.tags) as string[],
    notes: r.notes,
    final: {
      trainLoss: finalValue(r.tl_id, r.tl_value, r.tl_nf),
      trainAccuracy: finalValue(r.ta_id, r.ta_value, r.ta_nf),
      testAccuracy: finalValue(r.te_id, r.te_value, r.te_nf),
    },
  };
}
