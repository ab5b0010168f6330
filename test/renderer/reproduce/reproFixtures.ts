/**
 * What a host answers to the reproduce.* methods in renderer tests: a catalog, a plan of fig4 at a
 * scale (two VGG runs and two DLN runs, in the states a test gives them), results with one claim,
 * and a template figure with one line per run the spec names. Shapes follow shared/reproduce.ts;
 * the numbers are made up for the view to show, not the main process' computation.
 */
import { figure, line, panel } from '../../shared/plotFigures';
import type { PlotFigure, TemplateSpec } from '../../../src/shared/plots';
import type {
  ClaimResultInfo,
  PlannedRunInfo,
  PlanTotal,
  ReproCatalog,
  ReproPlanInfo,
  ReproResults,
  ReproScale,
} from '../../../src/shared/reproduce';

export const CATALOG: ReproCatalog = {
  scales: [
    { scale: 'smoke', departures: ['a check of the pipeline, not a reproduction: vgg16 at width 1/16'] },
    { scale: 'quick', departures: ['a first look: vgg16 at width 1/8 for 30 steps'] },
    {
      scale: 'cpu',
      departures: ['VGG: vgg16 at width 1/4, 600 steps', 'DLN: the paper protocol, two seeds'],
    },
    { scale: 'paper', departures: [] },
  ],
  readings: [
    { name: 'spec', description: 'PAPER.md sections 1-3 as written.', overrides: [] },
    {
      name: 'dln-mean-loss',
      description: 'DLN loss averaged over samples instead of summed.',
      overrides: ['data.lossReduction=sample-mean'],
    },
  ],
  figures: ['fig1', 'fig4', 'fig10'],
  claims: [
    {
      id: 'fig4-landscape',
      figures: ['fig4', 'fig10'],
      statement: 'With BN the loss band is much narrower.',
    },
  ],
};

export type RunState = PlannedRunInfo['state'];

/** The plan's four runs: fig4's VGG plain/bn and fig10's DLN plain/bn. */
export const RUN_NAMES = ['fig4/plain seed 0', 'fig4/bn seed 0', 'fig10/plain seed 0', 'fig10/bn seed 0'];

export interface PlanSetup {
  states: RunState[];
  /** Stored run ids (for the states other than to-run). */
  runIds?: (string | undefined)[];
  /** Seconds left per run; null without a basis. */
  estimates?: (number | null)[];
  only?: string | null;
  reading?: string;
}

function total(scale: ReproScale, runs: readonly PlannedRunInfo[]): PlanTotal {
  const left = runs.filter((r) => r.state !== 'done');
  const unknown = left.filter((r) => r.estimateSec === null).length;
  const knownSec = left.reduce((s, r) => s + (r.estimateSec ?? 0), 0);
  return {
    scale,
    runs: runs.length,
    toTrain: left.length,
    knownSec,
    unknownRuns: unknown,
    totalSec: unknown === 0 ? knownSec : null,
  };
}

export function planFixture(scale: ReproScale, setup: PlanSetup): ReproPlanInfo {
  const templates = setup.only ? [setup.only] : ['fig4', 'fig10'];
  const runs: PlannedRunInfo[] = RUN_NAMES.map((name, i) => {
    const [template, rest] = name.split('/') as [string, string];
    const slot = rest.split(' ')[0] as string;
    const state = setup.states[i] ?? 'to-run';
    const runId = setup.runIds?.[i];
    const estimateSec = state === 'done' ? 0 : (setup.estimates?.[i] ?? null);
    return {
      key: `key${i}`,
      name,
      network: template === 'fig4' ? ('vgg' as const) : ('dln' as const),
      seed: 0,
      readingApplied: template === 'fig10' && (setup.reading ?? 'spec') !== 'spec',
      uses: [{ template, slot }],
      steps: template === 'fig4' ? 6 : 20,
      state,
      ...(runId !== undefined ? { runId } : {}),
      ...(state === 'active' || state === 'resumable' ? { lastStep: 3 } : {}),
      estimateSec,
      basis:
        state === 'done'
          ? 'done: a stored run is reused'
          : estimateSec === null
            ? `no run of ${template === 'fig4' ? 'vgg16' : 'dln25'} is stored yet; run one to time it on this machine`
            : 'from 3 stored runs of vgg16 on wasm',
    };
  }).filter((r) => templates.includes(r.uses[0]?.template ?? ''));
  return {
    scale,
    reading: setup.reading ?? 'spec',
    only: setup.only ?? null,
    tag: `repro:${scale}:${setup.reading ?? 'spec'}`,
    templates,
    claims: ['fig4-landscape'],
    departures: CATALOG.scales.find((s) => s.scale === scale)?.departures ?? [],
    runs,
    total: total(scale, runs),
    otherScales: (['smoke', 'quick', 'cpu', 'paper'] as const)
      .filter((s) => s !== scale)
      .map((s) => ({
        scale: s,
        runs: s === 'paper' ? 12 : 4,
        toTrain: 4,
        knownSec: s === 'cpu' ? 3000 : 0,
        unknownRuns: s === 'cpu' ? 0 : 4,
        totalSec: s === 'cpu' ? 3000 : null,
      })),
  };
}

export const FIG4_CLAIM: ClaimResultInfo = {
  claim: 'fig4-landscape',
  figures: ['fig4', 'fig10'],
  statement: 'With BN the loss band is much narrower.',
  verdict: 'inconclusive',
  numbers: [
    {
      name: 'VGG: BN / plain median loss band',
      value: 0.123456,
      threshold: 0.5,
      compare: '<=',
      pass: true,
      description: 'median over probed steps of the loss band, BN over plain',
    },
    {
      name: 'VGG: BN / plain median effective beta',
      value: 1.23456,
      threshold: 0.8,
      compare: '<=',
      pass: false,
      description: 'median effective beta-smoothness, BN over plain',
    },
    {
      name: 'DLN: BN / plain median loss band',
      value: null,
      threshold: 0.5,
      compare: '<=',
      pass: false,
      description: 'median over probed steps of the loss band, BN over plain',
    },
  ],
  seeds: { 'fig4/bn': 1, 'fig4/plain': 1, 'fig10/bn': 0, 'fig10/plain': 0 },
  missing: ['fig10/bn: no runs', 'fig10/plain: no runs'],
  note: 'Only the VGG half can be judged without fig10.',
};

export function resultsFixture(plan: ReproPlanInfo, claim: ClaimResultInfo = FIG4_CLAIM): ReproResults {
  const runsBySlot: Record<string, string[]> = {};
  for (const r of plan.runs) {
    for (const u of r.uses) {
      const key = `${u.template}/${u.slot}`;
      runsBySlot[key] = [...(runsBySlot[key] ?? []), ...(r.state === 'done' && r.runId ? [r.runId] : [])];
    }
  }
  return {
    plan,
    runsBySlot,
    claims: plan.claims.length > 0 ? [claim] : [],
    complete: plan.runs.every((r) => r.state === 'done'),
  };
}

/** One panel, one line per run named in the spec's slots. */
export function templateFigure(spec: TemplateSpec): PlotFigure {
  const runIds = Object.values(spec.slots).flat();
  const lines = runIds.map((id, i) => line(id, [2, 1], { color: i, runIds: [id] }));
  return figure([panel('loss', lines, { title: 'loss landscape', sampling: { stored: 2, drawn: 2 } })], {
    title: spec.template,
    columns: 1,
  });
}
