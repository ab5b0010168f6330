/**
 * How fast this machine trained a kind of network: the newest stored run of a network, width and
 * normalization (on a backend, if given) with its examples/s and each probe's wall time per call,
 * read from the series summaries (the last value each reported). What time estimates start from.
 */
import type Database from 'better-sqlite3';

export interface ThroughputMatch {
  network: string;
  normalization: string;
  widthMultiplier: number;
  /** A concrete backend, or undefined for any. */
  backend?: string | undefined;
}

export interface ThroughputSample {
  runId: string;
  backend: string;
  examplesPerSec: number;
  /** Milliseconds per call of each probe the run measured, by probe name. */
  probeMs: Record<string, number>;
}

/** A probe's cost series: probe/NAME/cost/ms (migration 4 renamed the older probe/cost/NAME/ms). */
const PROBE_COST = /^probe\/([^/]+)\/cost\/ms$/;

export class ThroughputRepo {
  private readonly latestRun: Database.Statement<
    [{ network: string; normalization: string; width: number; backend: string | null }],
    { id: string; backend: string; eps: number }
  >;
  private readonly costs: Database.Statement<[string], { name: string; ms: number }>;

  constructor(db: Database.Database) {
    this.latestRun = db.prepare(
      `SELECT r.id, r.backend, s.last_value AS eps
       FROM runs r JOIN series s ON s.run_id = r.id AND s.name = 'perf/examples_per_sec'
       WHERE r.network = @network AND r.normalization = @normalization AND coalesce(r.width, 1) = @width
         AND r.backend IS NOT NULL AND (@backend IS NULL OR r.backend = @backend)
         AND s.points > 0 AND s.last_nf = 0 AND s.last_value > 0
       ORDER BY r.created_at DESC LIMIT 1`,
    );
    this.costs = db.prepare(
      `SELECT name, last_value AS ms FROM series
       WHERE run_id = ? AND name LIKE 'probe/%/cost/ms' AND points > 0 AND last_nf = 0`,
    );
  }

  latest(match: ThroughputMatch): ThroughputSample | undefined {
    const row = this.latestRun.get({
      network: match.network,
      normalization: match.normalization,
      width: match.widthMultiplier,
      backend: match.backend ?? null,
    });
    if (!row) return undefined;
    const probeMs: Record<string, number> = {};
    for (const c of this.costs.all(row.id)) {
      const m = PROBE_COST.exec(c.name);
      const probe = m?.[1];
      if (probe !== undefined) probeMs[probe] = c.ms;
    }
    return { runId: row.id, backend: row.backend, examplesPerSec: row.eps, probeMs };
  }
}
