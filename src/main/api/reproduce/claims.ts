/**
 * The paper's claims (PAPER.md section 5, "What the paper reports") as code: each with the figure
 * templates whose runs it reads, the paper's words, and criteria whose thresholds are fixed here, before
 * any result is seen. A claim is supported when every criterion passes, not supported when any fails
 * (its numbers say which), and inconclusive when a slot has no runs or its runs lack the data: never
 * decided on part of its data. Thresholds are never re-tuned to a result.
 *
 * Slots are keyed `TEMPLATE/LABEL` (`fig4/bn`); a slot's number is the mean over its runs (seeds).
 */
import type { FigureContext } from '../figures/compareRuns';
import { ClaimData, defaultRunsBySlot, type RunsBySlot } from './claimData';
import {
  absoluteChanges,
  coefficientOfVariation,
  finalValue,
  firstStepReaching,
  histogramShape,
  median,
} from './claimMetrics';

export type Compare = '<=' | '>=';

export interface Criterion {
  name: string;
  description: string;
  threshold: number;
  compare: Compare;
}

export interface Claim {
  id: string;
  /** Template names whose runs the claim reads. */
  figures: readonly string[];
  /** What the paper says (PAPER.md section 5). */
  statement: string;
  /** Where CPU scale is known to differ from the paper's. */
  note?: string;
  criteria: readonly Criterion[];
  /** Each criterion's value by name; NaN where data is missing (ClaimData notes what). */
  measure(data: ClaimData): Record<string, number>;
}

export type Verdict = 'supported' | 'not supported' | 'inconclusive';

export interface ClaimNumber {
  name: string;
  value: number;
  threshold: number;
  compare: Compare;
  pass: boolean;
}

export interface ClaimResult {
  claim: string;
  statement: string;
  verdict: Verdict;
  numbers: ClaimNumber[];
  /** Runs per slot read. */
  seeds: Record<string, number>;
  /** What was missing (inconclusive only): `fig1/bn-lr0.5: no runs`, ... */
  missing: string[];
  note?: string;
}

/** Logged points a "final" value averages: one noisy batch's accuracy must not decide a claim. */
const FINAL_POINTS = 5;

/** A slot's final value of a series. */
function final(data: ClaimData, slot: string, series: string): number {
  return data.slotMean(slot, `${series} values`, (id) =>
    finalValue(data.series(id, series).values, FINAL_POINTS),
  );
}

/** A slot's median over logged steps of a series. */
function medianOf(data: ClaimData, slot: string, series: string): number {
  return data.slotMean(slot, `${series} values`, (id) => median(data.series(id, series).values));
}

// ---- Fig 1 ---------------------------------------------------------------------------------------

/** 10 classes: chance is 0.1; 0.2 leaves room for a network that learnt a class or two, not to train. */
const CHANCE_BOUND = 0.2;
/** Three times chance: a network that clearly trains. */
const TRAINS_BOUND = 0.3;
/**
 * BN at LR 0.5 against BN at LR 0.1: the paper has about 80% against 83% (0.96); 0.8 allows for the
 * CPU scale's shorter runs, where the high LR has had fewer steps to settle.
 */
const HIGH_LR_FRACTION = 0.8;
/** The accuracy to reach, as a fraction of the lower of the two LR-0.1 runs' final train accuracy. */
const SPEED_TARGET = 0.9;
/** BN's steps to the target over plain's: "faster" means at least 10% fewer steps. */
const SPEED_RATIO = 0.9;

/**
 * The first step a run's train accuracy reaches `target`; a run that never does counts its last
 * logged step (a lower bound on its time, so this can only favour that run).
 */
function stepsToReach(data: ClaimData, slot: string, target: number): number {
  return data.slotMean(slot, 'train/accuracy values', (id) => {
    const { steps, values } = data.series(id, 'train/accuracy');
    return firstStepReaching(steps, values, target) ?? steps[steps.length - 1] ?? NaN;
  });
}

const fig1: Claim = {
  id: 'fig1-bn-lr',
  figures: ['fig1'],
  statement:
    'BN trains faster and tolerates a larger learning rate: at LR 0.5 the plain network stays at chance (10%) while BN reaches about 80% (83% with BN, 80% without at LR 0.1).',
  note: 'At CPU scale (vgg16 at width 1/4, 600 of the paper’s 15k steps) expect the same directions, not the paper’s accuracies: the runs stop early in training.',
  criteria: [
    {
      name: 'plain LR 0.5 final test accuracy',
      description:
        'the plain network at LR 0.5 stays near chance (a diverged network predicts one class: 0.1)',
      threshold: CHANCE_BOUND,
      compare: '<=',
    },
    {
      name: 'BN LR 0.5 final test accuracy',
      description: 'BN at LR 0.5 clearly trains',
      threshold: TRAINS_BOUND,
      compare: '>=',
    },
    {
      name: 'BN LR 0.5 / BN LR 0.1 final test accuracy',
      description: 'BN at the high LR reaches most of what it reaches at LR 0.1',
      threshold: HIGH_LR_FRACTION,
      compare: '>=',
    },
    {
      name: 'BN / plain steps to the target train accuracy at LR 0.1',
      description: `steps to ${SPEED_TARGET} x the lower final train accuracy of the two LR 0.1 runs, BN over plain`,
      threshold: SPEED_RATIO,
      compare: '<=',
    },
  ],
  measure(data) {
    const bnHigh = final(data, 'fig1/bn-lr0.5', 'test/accuracy');
    const bnLow = final(data, 'fig1/bn-lr0.1', 'test/accuracy');
    const target =
      SPEED_TARGET *
      Math.min(
        final(data, 'fig1/plain-lr0.1', 'train/accuracy'),
        final(data, 'fig1/bn-lr0.1', 'train/accuracy'),
      );
    const speed = Number.isFinite(target)
      ? stepsToReach(data, 'fig1/bn-lr0.1', target) / stepsToReach(data, 'fig1/plain-lr0.1', target)
      : NaN;
    return {
      'plain LR 0.5 final test accuracy': final(data, 'fig1/plain-lr0.5', 'test/accuracy'),
      'BN LR 0.5 final test accuracy': bnHigh,
      'BN LR 0.5 / BN LR 0.1 final test accuracy': bnHigh / bnLow,
      'BN / plain steps to the target train accuracy at LR 0.1': speed,
    };
  },
};

// ---- Figs 2 and 8 --------------------------------------------------------------------------------

/** "Nearly as well": at most 5 points of train accuracy below BN. */
const NOISY_ACCURACY_MARGIN = 0.05;
/** "Far larger" shift: noisy BN's median drift at least 3 times the plain network's. */
const DRIFT_FACTOR = 3;

/** A run's median |x_k - x_{k-1}| over its probed layers' unit mean or variance (Fig 8). */
function medianDrift(data: ClaimData, slot: string, moment: 'mean' | 'var'): number {
  return data.slotMean(slot, `probe/activations/layer*/${moment} values`, (id) => {
    const changes = data
      .layers(id, 'activations', moment)
      .flatMap((layer) =>
        absoluteChanges(data.series(id, `probe/activations/layer${layer}/${moment}`).values),
      );
    return median(changes);
  });
}

const fig2: Claim = {
  id: 'fig2-noisy-bn',
  figures: ['fig2', 'fig8'],
  statement:
    'Noisy BN trains almost as well as BN, despite far larger distribution shift than the plain network.',
  note: 'The drift is of one probed unit per layer; at CPU scale its size differs from the paper’s, the ordering should not.',
  criteria: [
    {
      name: 'BN - noisy BN final train accuracy',
      description: 'noisy BN trains nearly as well as BN',
      threshold: NOISY_ACCURACY_MARGIN,
      compare: '<=',
    },
    {
      name: 'noisy BN / plain median |Δ mean|',
      description:
        'median over probed layers and logged steps of the unit mean’s change, noisy BN over plain',
      threshold: DRIFT_FACTOR,
      compare: '>=',
    },
    {
      name: 'noisy BN / plain median |Δ variance|',
      description: 'the same for the unit variance',
      threshold: DRIFT_FACTOR,
      compare: '>=',
    },
  ],
  measure(data) {
    return {
      'BN - noisy BN final train accuracy':
        final(data, 'fig2/bn', 'train/accuracy') - final(data, 'fig2/noisy-bn', 'train/accuracy'),
      'noisy BN / plain median |Δ mean|':
        medianDrift(data, 'fig8/noisy-bn', 'mean') / medianDrift(data, 'fig8/plain', 'mean'),
      'noisy BN / plain median |Δ variance|':
        medianDrift(data, 'fig8/noisy-bn', 'var') / medianDrift(data, 'fig8/plain', 'var'),
    };
  },
};

// ---- Figs 3a and 3b ------------------------------------------------------------------------------

/** "Does not reduce ICS": BN's median l2 difference is not below half the plain network's. */
const ICS_L2_RATIO = 0.5;
/** Nor is its cosine closer to 1 by more than 0.1 (the cosine lies in [-1, 1]). */
const ICS_COS_MARGIN = 0.1;

/** A run's median over its ICS layers and logged steps of the l2 difference or the cosine. */
function medianIcs(data: ClaimData, slot: string, metric: 'l2' | 'cos'): number {
  return data.slotMean(slot, `probe/ics/layer*/${metric} values`, (id) =>
    median(
      data.layers(id, 'ics', metric).flatMap((l) => data.series(id, `probe/ics/layer${l}/${metric}`).values),
    ),
  );
}

/** ICS criteria of one figure: the worst case over its learning rates (each LR must hold). */
function icsNumbers(
  data: ClaimData,
  template: string,
  lrs: readonly string[],
  net: string,
): Record<string, number> {
  const l2 = lrs.map(
    (lr) =>
      medianIcs(data, `${template}/bn-lr${lr}`, 'l2') / medianIcs(data, `${template}/plain-lr${lr}`, 'l2'),
  );
  const cos = lrs.map(
    (lr) =>
      medianIcs(data, `${template}/bn-lr${lr}`, 'cos') - medianIcs(data, `${template}/plain-lr${lr}`, 'cos'),
  );
  return {
    [`${net}: BN / plain median ICS l2 (lowest over LRs)`]: Math.min(...l2),
    [`${net}: BN - plain median ICS cosine (highest over LRs)`]: Math.max(...cos),
  };
}

const icsCriteria = (net: string): Criterion[] => [
  {
    name: `${net}: BN / plain median ICS l2 (lowest over LRs)`,
    description: 'BN’s median l2 difference over layers and logged steps is not much smaller than plain’s',
    threshold: ICS_L2_RATIO,
    compare: '>=',
  },
  {
    name: `${net}: BN - plain median ICS cosine (highest over LRs)`,
    description: 'BN’s median cosine is not closer to 1 than plain’s by more than the margin',
    threshold: ICS_COS_MARGIN,
    compare: '<=',
  },
];

const fig3: Claim = {
  id: 'fig3-ics',
  figures: ['fig3a', 'fig3b'],
  statement: 'BN does not reduce ICS as defined (Definition 2.1); in the DLN it often increases it.',
  note: 'ICS is probed at fewer steps at CPU scale; the comparison is between runs of the same scale.',
  criteria: [...icsCriteria('VGG'), ...icsCriteria('DLN')],
  measure(data) {
    return {
      ...icsNumbers(data, 'fig3a', ['0.1', '0.01'], 'VGG'),
      ...icsNumbers(data, 'fig3b', ['1e-6', '1e-7'], 'DLN'),
    };
  },
};

// ---- Figs 4, 10 and 11 ---------------------------------------------------------------------------

/** "Much narrower": BN's median band at most half the plain network's. */
const BAND_RATIO = 0.5;
/** "Lower": BN's median effective beta at most 0.8 of plain's. */
const BETA_RATIO = 0.8;
/** "Steadier": the coefficient of variation of BN's beta over steps no larger than plain's. */
const BETA_CV_RATIO = 1;

/** A run's median over probed steps of hi - lo. */
function medianBand(data: ClaimData, slot: string, lo: string, hi: string): number {
  return data.slotMean(slot, `${lo} and ${hi} values`, (id) => {
    const low = data.series(id, lo);
    const high = data.series(id, hi);
    const byStep = new Map(low.steps.map((s, i) => [s, low.values[i] as number]));
    return median(
      high.steps.flatMap((s, i) => {
        const l = byStep.get(s);
        return l === undefined ? [] : [(high.values[i] as number) - l];
      }),
    );
  });
}

const BETA = 'probe/landscape/beta_eff';

/** The landscape numbers of a slot: loss band, gradient band and beta medians, beta's CV. */
function landscape(
  data: ClaimData,
  slot: string,
): { loss: number; grad: number; beta: number; betaCv: number } {
  return {
    loss: medianBand(data, slot, 'probe/landscape/loss_min', 'probe/landscape/loss_max'),
    grad: medianBand(data, slot, 'probe/landscape/grad_change_min', 'probe/landscape/grad_change_max'),
    beta: medianOf(data, slot, BETA),
    betaCv: data.slotMean(slot, `${BETA} values`, (id) =>
      coefficientOfVariation(data.series(id, BETA).values),
    ),
  };
}

const landscapeCriteria = (net: string): Criterion[] => [
  {
    name: `${net}: BN / plain median loss band`,
    description: 'median over probed steps of loss_max - loss_min along the gradient, BN over plain',
    threshold: BAND_RATIO,
    compare: '<=',
  },
  {
    name: `${net}: BN / plain median gradient-predictiveness band`,
    description: 'median of grad_change_max - grad_change_min, BN over plain',
    threshold: BAND_RATIO,
    compare: '<=',
  },
  {
    name: `${net}: BN / plain median effective beta`,
    description: 'median effective beta-smoothness, BN over plain',
    threshold: BETA_RATIO,
    compare: '<=',
  },
  {
    name: `${net}: BN / plain coefficient of variation of beta`,
    description: 'standard deviation over mean of beta over probed steps, BN over plain',
    threshold: BETA_CV_RATIO,
    compare: '<=',
  },
];

function landscapeNumbers(data: ClaimData, template: string, net: string): Record<string, number> {
  const bn = landscape(data, `${template}/bn`);
  const plain = landscape(data, `${template}/plain`);
  return {
    [`${net}: BN / plain median loss band`]: bn.loss / plain.loss,
    [`${net}: BN / plain median gradient-predictiveness band`]: bn.grad / plain.grad,
    [`${net}: BN / plain median effective beta`]: bn.beta / plain.beta,
    [`${net}: BN / plain coefficient of variation of beta`]: bn.betaCv / plain.betaCv,
  };
}

const fig4: Claim = {
  id: 'fig4-landscape',
  figures: ['fig4', 'fig10'],
  statement:
    'With BN the loss band and the gradient-predictiveness band are much narrower and effective beta is lower and steadier.',
  note: 'Fig 11 shows the same probes’ eta grids, read here through Figs 4 and 10’s bands. At CPU scale the bands’ sizes differ from the paper’s; the ordering should not.',
  criteria: [...landscapeCriteria('VGG'), ...landscapeCriteria('DLN')],
  measure(data) {
    return { ...landscapeNumbers(data, 'fig4', 'VGG'), ...landscapeNumbers(data, 'fig10', 'DLN') };
  },
};

// ---- Figs 5, 6, 12 and 13 ------------------------------------------------------------------------

const LP = ['l1', 'l2', 'linf'] as const;
/** "Comparably": each lp norm's final train accuracy at most 5 points below BN's (VGG). */
const LP_ACCURACY_MARGIN = 0.05;
/** Each lp norm's final DLN train loss at most twice BN's (the DLN's loss spans decades). */
const LP_LOSS_RATIO = 2;
/**
 * "The same smoothing": of the (lp norm, landscape median) pairs, the share closer to BN's value than
 * to plain's (in log distance); two thirds lets one of three medians per norm fall nearer plain.
 */
const LP_SMOOTHING_SHARE = 2 / 3;
/**
 * "Far from Gaussian": max(|skewness|, |excess kurtosis|) of the probed unit's histogram (median over
 * logged steps) at least 0.5; a normal histogram gives about 0.1 from binning alone.
 */
const NON_GAUSSIAN = 0.5;

/** The share of (lp, median) pairs nearer BN's than plain's, in |log ratio|. */
function smoothingShare(data: ClaimData, template: string): number {
  const bn = landscape(data, `${template}/bn`);
  const plain = landscape(data, `${template}/plain`);
  const keys = ['loss', 'grad', 'beta'] as const;
  const distance = (a: number, b: number): number => Math.abs(Math.log(a / b));
  const lps = LP.map((lp) => landscape(data, `${template}/${lp}`));
  if ([bn, plain, ...lps].some((v) => keys.some((k) => !Number.isFinite(v[k])))) return NaN;
  const closer = lps.flatMap((v) => keys.map((k) => distance(v[k], bn[k]) < distance(v[k], plain[k])));
  return closer.filter(Boolean).length / closer.length;
}

/** A run's median over its activation records of max(|skewness|, |excess kurtosis|). */
function nonGaussianity(data: ClaimData, slot: string): number {
  return data.slotMean(slot, 'activation histograms', (id) =>
    median(
      data.store.listProbeRecords(id, { probe: 'activations' }).flatMap((r) => {
        if (r.probe !== 'activations' || !('edges' in r.data) || r.data.degenerate) return [];
        const { skewness, excessKurtosis } = histogramShape(r.data.edges, r.data.counts);
        return Number.isFinite(skewness) ? [Math.max(Math.abs(skewness), Math.abs(excessKurtosis))] : [];
      }),
    ),
  );
}

const fig5: Claim = {
  id: 'fig5-lp',
  figures: ['fig5', 'fig6', 'fig12', 'fig13'],
  statement:
    'All lp variants train comparably to BN and show the same smoothing, though their activations are far from Gaussian.',
  note: 'The histograms are of one probed unit of layer 11; at CPU scale their shapes differ from the paper’s.',
  criteria: [
    {
      name: 'VGG: BN - lp final train accuracy (largest over l1, l2, linf)',
      description: 'every lp norm trains VGG nearly as well as BN',
      threshold: LP_ACCURACY_MARGIN,
      compare: '<=',
    },
    {
      name: 'DLN: lp / BN final train loss (largest over l1, l2, linf)',
      description: 'every lp norm trains the DLN nearly as well as BN',
      threshold: LP_LOSS_RATIO,
      compare: '<=',
    },
    {
      name: 'VGG: share of lp landscape medians nearer BN than plain',
      description: 'loss band, gradient band and beta medians of each lp norm, nearer BN’s than plain’s',
      threshold: LP_SMOOTHING_SHARE,
      compare: '>=',
    },
    {
      name: 'DLN: share of lp landscape medians nearer BN than plain',
      description: 'the same for the deep linear network',
      threshold: LP_SMOOTHING_SHARE,
      compare: '>=',
    },
    {
      name: 'lp activations: max(|skewness|, |excess kurtosis|) (smallest over l1, l2, linf)',
      description: 'every lp norm’s layer-11 activation histogram is far from Gaussian',
      threshold: NON_GAUSSIAN,
      compare: '>=',
    },
  ],
  measure(data) {
    const bnAccuracy = final(data, 'fig5/vgg16-bn', 'train/accuracy');
    const bnLoss = final(data, 'fig5/dln25-bn', 'train/loss');
    return {
      'VGG: BN - lp final train accuracy (largest over l1, l2, linf)': Math.max(
        ...LP.map((lp) => bnAccuracy - final(data, `fig5/vgg16-${lp}`, 'train/accuracy')),
      ),
      'DLN: lp / BN final train loss (largest over l1, l2, linf)': Math.max(
        ...LP.map((lp) => final(data, `fig5/dln25-${lp}`, 'train/loss') / bnLoss),
      ),
      'VGG: share of lp landscape medians nearer BN than plain': smoothingShare(data, 'fig12'),
      'DLN: share of lp landscape medians nearer BN than plain': smoothingShare(data, 'fig13'),
      'lp activations: max(|skewness|, |excess kurtosis|) (smallest over l1, l2, linf)': Math.min(
        ...LP.map((lp) => nonGaussianity(data, `fig6/${lp}`)),
      ),
    };
  },
};

export const CLAIMS: readonly Claim[] = [fig1, fig2, fig3, fig4, fig5];

export function findClaim(id: string): Claim | undefined {
  return CLAIMS.find((c) => c.id === id);
}

function passes(value: number, criterion: Criterion): boolean {
  if (!Number.isFinite(value)) return false;
  return criterion.compare === '<=' ? value <= criterion.threshold : value >= criterion.threshold;
}

/**
 * A claim's verdict over the runs of its slots (default: each template's default runs). Inconclusive,
 * naming what is missing, when any number could not be computed.
 */
export function evaluateClaim(ctx: FigureContext, claim: Claim, runsBySlot?: RunsBySlot): ClaimResult {
  const data = new ClaimData(ctx.store, runsBySlot ?? defaultRunsBySlot(ctx, claim.figures));
  const values = claim.measure(data);
  const numbers = claim.criteria.map((c) => {
    const value = values[c.name];
    if (value === undefined) throw new Error(`claim ${claim.id} measures no "${c.name}"`);
    return { name: c.name, value, threshold: c.threshold, compare: c.compare, pass: passes(value, c) };
  });
  const missing = [...data.missing];
  // A number that is not finite with nothing noted missing (e.g. 0 / 0) still leaves the claim open.
  if (missing.length === 0) {
    for (const n of numbers) if (!Number.isFinite(n.value)) missing.push(`${n.name}: not finite`);
  }
  const verdict: Verdict =
    missing.length > 0 ? 'inconclusive' : numbers.every((n) => n.pass) ? 'supported' : 'not supported';
  return {
    claim: claim.id,
    statement: claim.statement,
    verdict,
    numbers,
    seeds: data.seeds,
    missing,
    ...(claim.note ? { note: claim.note } : {}),
  };
}
