/**
 * A reproduction as the API serves it (shared/reproduce.ts): the plan with each run's state and time
 * left, the start (new runs stored and queued, interrupted ones resumed, finished ones reused, all
 * tagged `repro:SCALE:READING`), and the claims' verdicts over the runs done so far.
 *
 * A run found in the store by its config key is the planned run whatever its name or tags (the same
 * config trains the same way), so a rerun of the command never trains a finished run twice.
 */
import type { Threads } from '../../../shared/api';
import type { BackendName } from '../../../shared/config';
import { FIGURES } from '../../../shared/figures';
import { READINGS } from '../../../shared/readings';
import {
  REPRO_SCALES,
  type ClaimResultInfo,
  type PlannedRunInfo,
  type PlanTotal,
  type ReproCatalog,
  type ReproPlanInfo,
  type ReproResults,
  type ReproScale,
  type ReproStartResult,
} from '../../../shared/reproduce';
import { storedExperiment } from '../experimentBuilder';
import { publishRunChange, type ServiceContext } from '../serviceContext';
import { requireCifar10 } from '../cifar10Location';
import { CLAIMS, evaluateClaim, type Claim } from './claims';
import { buildPlan, type PlannedRun, type PlanOptions, type ReproPlan } from './plan';
import { calibratePlan, calibrationsFor } from './calibrate';
import { estimatePlan, type PlanEstimate } from './planEstimate';
import { planRunsBySlot } from './planSlots';
import { classifyPlan, classifyRuns, type PlannedRunStatus } from './planStatus';
import { SCALES } from './scales';

export interface ReproOptionsParsed {
  scale: ReproScale;
  only?: string | undefined;
  reading?: string | undefined;
}

function planOptions(o: ReproOptionsParsed): PlanOptions {
  return {
    scale: o.scale,
    ...(o.only !== undefined ? { only: o.only } : {}),
    ...(o.reading !== undefined ? { reading: o.reading } : {}),
  };
}

/** The claims a plan's templates bear on: those reading at least one of its figures. */
export function planClaims(plan: ReproPlan): Claim[] {
  return CLAIMS.filter((c) => c.figures.some((f) => plan.templates.includes(f)));
}

export function reproCatalog(): ReproCatalog {
  return {
    scales: REPRO_SCALES.map((scale) => ({ scale, departures: [...SCALES[scale].departures] })),
    readings: READINGS.map((r) => ({
      name: r.name,
      description: r.description,
      overrides: [...r.overrides],
    })),
    figures: [...new Set(FIGURES.map((f) => `fig${f.figure}`))],
    claims: CLAIMS.map((c) => ({ id: c.id, figures: [...c.figures], statement: c.statement })),
  };
}

function total(
  scale: ReproScale,
  plan: ReproPlan,
  statuses: readonly PlannedRunStatus[],
  e: PlanEstimate,
): PlanTotal {
  return {
    scale,
    runs: plan.runs.length,
    toTrain: statuses.filter((s) => s.state !== 'done').length,
    knownSec: e.knownSec,
    unknownRuns: e.unknownRuns,
    totalSec: e.totalSec,
  };
}

function runInfo(run: PlannedRun, status: PlannedRunStatus, e: PlanEstimate): PlannedRunInfo {
  const est = e.runs.find((r) => r.key === run.key);
  return {
    key: run.key,
    name: run.name,
    network: run.network,
    seed: run.seed,
    readingApplied: run.readingApplied,
    uses: run.uses.map((u) => ({ ...u })),
    steps: run.config.schedule.steps,
    state: status.state,
    ...(status.runId !== undefined ? { runId: status.runId } : {}),
    ...(status.lastStep !== undefined ? { lastStep: status.lastStep } : {}),
    estimateSec: est?.estimateSec ?? null,
    basis: est?.basis ?? '',
  };
}

/**
 * How the runs would train: on `backend` (default the defaultBackend setting) with `threads`, reading
 * CIFAR-10 from `dataDir` (default the setting, then the data directory).
 */
export interface RunsOn {
  backend?: BackendName | undefined;
  threads?: Threads | undefined;
  dataDir?: string | undefined;
}

/**
 * The plan of `options` with states and estimates (from stored runs, else from this process's
 * calibrations of the runs' kinds at `on`), and the other scales' totals.
 */
export function reproPlanInfo(
  ctx: ServiceContext,
  options: ReproOptionsParsed,
  on: RunsOn = {},
): ReproPlanInfo {
  const preferred = on.backend ?? ctx.settings().defaultBackend;
  const calibrations = { table: calibrationsFor(ctx.dbPath), threads: on.threads };
  // One read of the stored runs serves every scale's classification.
  const stored = ctx.store.listRuns();
  const plan = buildPlan(planOptions(options));
  const statuses = classifyRuns(plan.runs, stored);
  const estimate = estimatePlan(ctx.store, plan, statuses, preferred, calibrations);
  const otherScales = REPRO_SCALES.filter((s) => s !== options.scale).map((scale) => {
    const other = buildPlan({ ...planOptions(options), scale });
    const st = classifyRuns(other.runs, stored);
    return total(scale, other, st, estimatePlan(ctx.store, other, st, preferred, calibrations));
  });
  return {
    scale: plan.scale,
    reading: plan.reading,
    only: options.only ?? null,
    tag: plan.tag,
    templates: plan.templates,
    claims: planClaims(plan).map((c) => c.id),
    departures: [...SCALES[plan.scale].departures],
    runs: plan.runs.map((run, k) => runInfo(run, statuses[k] as PlannedRunStatus, estimate)),
    total: total(plan.scale, plan, statuses, estimate),
    otherScales,
  };
}

/**
 * `--plan --calibrate`: times the kinds of run left that no stored run estimates (calibrate.ts), at
 * the chosen scale and at the other CPU scales (smoke, quick, cpu), so the plan states their totals
 * too; paper scale is too slow to time on a CPU, and is timed only when it is the one chosen.
 */
export async function calibrateReproduction(
  ctx: ServiceContext,
  options: ReproOptionsParsed,
  on: RunsOn = {},
): Promise<void> {
  const scales = [options.scale, ...REPRO_SCALES.filter((s) => s !== options.scale && s !== 'paper')];
  for (const scale of scales) {
    const plan = buildPlan(planOptions({ ...options, scale }));
    await calibratePlan(ctx, plan, classifyPlan(ctx.store, plan.runs), on);
  }
}

function addTag(ctx: ServiceContext, runId: string, tag: string): void {
  const row = ctx.store.getRunRow(runId);
  if (!row || row.tags.includes(tag)) return;
  ctx.store.editRun(runId, { tags: [...row.tags, tag] });
  publishRunChange(ctx, 'updated', runId);
}

export interface ReproStartOptions extends ReproOptionsParsed {
  backend?: BackendName | undefined;
  threads?: Threads | undefined;
  dataDir?: string | undefined;
}

/**
 * Queues what the plan still needs. Everything that can be wrong (the CIFAR-10 folder, a stored
 * config that no longer runs) is checked before anything is stored or queued.
 */
export function startReproduction(ctx: ServiceContext, options: ReproStartOptions): ReproStartResult {
  const plan = buildPlan(planOptions(options));
  const statuses = classifyPlan(ctx.store, plan.runs);
  const backend = options.backend ?? ctx.settings().defaultBackend;
  const cifarRun = plan.runs.find(
    (r, k) => r.config.data.dataset === 'cifar10' && (statuses[k] as PlannedRunStatus).state === 'to-run',
  );
  const cifarDir = cifarRun ? requireCifar10(options.dataDir, ctx.places, cifarRun.config.data) : undefined;

  const fresh: PlannedRun[] = [];
  const resumes: { runId: string; config: ReturnType<typeof storedExperiment> }[] = [];
  const reused: string[] = [];
  const elsewhere: string[] = [];
  plan.runs.forEach((run, k) => {
    const s = statuses[k] as PlannedRunStatus;
    if (s.state === 'to-run') fresh.push(run);
    else if (s.state === 'done') reused.push(s.runId as string);
    else if (s.state === 'active') {
      if (ctx.runs.get(s.runId as string)) reused.push(s.runId as string);
      else elsewhere.push(s.runId as string);
    } else {
      const stored = ctx.store.getRun(s.runId as string);
      if (!stored) throw new Error(`run ${s.runId} vanished while planning`);
      resumes.push({
        runId: stored.id,
        config: storedExperiment(stored.id, stored.config, ctx.places, backend),
      });
    }
  });

  const configs = fresh.map((run) => {
    const config = { ...run.config, ...(backend !== undefined ? { backend } : {}) };
    if (config.data.dataset === 'cifar10') config.data = { ...config.data, dir: cifarDir as string };
    return config;
  });
  const created = ctx.store.batch(() =>
    fresh.map((run, k) =>
      ctx.store.createRun(configs[k] as (typeof configs)[number], { name: run.name, tags: [plan.tag] }),
    ),
  );
  for (const id of [...reused, ...elsewhere, ...resumes.map((r) => r.runId)]) addTag(ctx, id, plan.tag);

  const threads = options.threads;
  created.forEach((id, k) => {
    publishRunChange(ctx, 'created', id);
    ctx.runs.start(id, configs[k] as (typeof configs)[number], { threads });
  });
  for (const r of resumes) ctx.runs.resume(r.runId, r.config, { threads });
  return {
    tag: plan.tag,
    queued: [...created, ...resumes.map((r) => r.runId)],
    resumed: resumes.map((r) => r.runId),
    reused,
    elsewhere,
  };
}

/** The claims over the runs done so far, and each slot's runs. */
export function reproResults(ctx: ServiceContext, options: ReproOptionsParsed): ReproResults {
  const info = reproPlanInfo(ctx, options);
  const plan = buildPlan(planOptions(options));
  // The states the plan info just read, run for run (the same plan, in the same order).
  const statuses: PlannedRunStatus[] = info.runs.map((r) => ({
    key: r.key,
    state: r.state,
    ...(r.runId !== undefined ? { runId: r.runId } : {}),
  }));
  const runsBySlot = planRunsBySlot(plan, statuses);
  const claims = planClaims(plan).map((claim): ClaimResultInfo => {
    const r = evaluateClaim(ctx, claim, runsBySlot);
    return {
      claim: r.claim,
      figures: [...claim.figures],
      statement: r.statement,
      verdict: r.verdict,
      numbers: r.numbers.map((n) => ({
        ...n,
        value: Number.isFinite(n.value) ? n.value : null,
        description: claim.criteria.find((c) => c.name === n.name)?.description ?? '',
      })),
      seeds: r.seeds,
      missing: r.missing,
      ...(r.note !== undefined ? { note: r.note } : {}),
    };
  });
  return {
    plan: info,
    runsBySlot: Object.fromEntries(Object.entries(runsBySlot).map(([slot, ids]) => [slot, [...ids]])),
    claims,
    complete: statuses.every((s) => s.state === 'done'),
  };
}
