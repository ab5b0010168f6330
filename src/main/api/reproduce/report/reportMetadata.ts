/**
 * What a reader needs to judge a reproduction report before its claims: the scale and reading it ran
 * under, the backends and devices the runs actually trained on, the seeds, the training time, which
 * NormLab (version and commit) on which Node wrote it from which database, and whether every planned
 * run was done.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findReading } from '../../../../shared/readings';
import type { ReproResults, ReproScale } from '../../../../shared/reproduce';
import { APP_VERSION } from '../../appVersion';
import { gitCommit } from './gitCommit';
import type { ReportRun } from './reportRuns';

export interface ReportMetadata {
  scale: ReproScale;
  reading: {
    name: string;
    description: string;
    /** The planned runs its overrides apply to (none for `spec`). */
    appliedTo: string[];
  };
  /** The one figure reproduced (`fig4`), or `all`. */
  only: string;
  /** Distinct backends and devices the stored runs recorded, sorted. */
  backends: string[];
  devices: string[];
  /** Each configuration (its first figure slot) with the seeds planned for it. */
  seeds: { configuration: string; seeds: number[] }[];
  /** Seconds over the stored runs' wall times. */
  trainingWallSec: number;
  /** When the report was written, ISO 8601. */
  generatedAt: string;
  version: string;
  /** Short git commit of the checkout NormLab runs from; absent outside a checkout. */
  commit?: string;
  node: string;
  dbPath: string;
  /** PNG resolution of the figures. */
  dpi: number;
  /** Whether every planned run is done. */
  complete: boolean;
  /** The planned runs not done (their claims are inconclusive). */
  missingRuns: { name: string; state: string }[];
}

/** `--only`'s figure as the templates name it: `4`, `Fig4` and `fig4` are all `fig4`. */
export function figureOf(only: string): string {
  return `fig${only.replace(/^fig/i, '').toLowerCase()}`;
}

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort();
}

function seedsPerConfiguration(results: ReproResults): ReportMetadata['seeds'] {
  const byConfig = new Map<string, number[]>();
  for (const run of results.plan.runs) {
    const first = run.uses[0];
    const configuration = first ? `${first.template}/${first.slot}` : run.name;
    const seeds = byConfig.get(configuration);
    if (seeds) seeds.push(run.seed);
    else byConfig.set(configuration, [run.seed]);
  }
  return [...byConfig].map(([configuration, seeds]) => ({
    configuration,
    seeds: [...seeds].sort((a, b) => a - b),
  }));
}

/** Where this module's code lives, for the commit (a bundled build lies inside the checkout too). */
function moduleDir(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

export interface MetadataInput {
  results: ReproResults;
  runs: readonly ReportRun[];
  dbPath: string;
  dpi: number;
  now: Date;
}

export function reportMetadata({ results, runs, dbPath, dpi, now }: MetadataInput): ReportMetadata {
  const { plan } = results;
  const reading = findReading(plan.reading);
  const here = moduleDir();
  const commit = gitCommit(here !== undefined ? [here, process.cwd()] : [process.cwd()]);
  return {
    scale: plan.scale,
    reading: {
      name: reading.name,
      description: reading.description,
      appliedTo: plan.runs.filter((r) => r.readingApplied).map((r) => r.name),
    },
    only: plan.only === null ? 'all' : figureOf(plan.only),
    backends: distinct(runs.map((r) => r.backend)),
    devices: distinct(runs.map((r) => r.device)),
    seeds: seedsPerConfiguration(results),
    trainingWallSec: runs.reduce((sum, r) => sum + (r.wallSec ?? 0), 0),
    generatedAt: now.toISOString(),
    version: APP_VERSION,
    ...(commit !== undefined ? { commit } : {}),
    node: process.versions.node,
    dbPath,
    dpi,
    complete: results.complete,
    missingRuns: runs.filter((r) => r.state !== 'done').map((r) => ({ name: r.name, state: r.state })),
  };
}
