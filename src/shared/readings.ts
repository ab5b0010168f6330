/**
 * Named readings of the paper: the choices it leaves open (PAPER.md "(choice)" marks) taken another
 * way. A reading is a list of `key=value` overrides, the same strings as the CLI's --set
 * (configOverrides.ts), applied on top of an experiment; `spec` applies none, since the config's
 * defaults are PAPER.md's reading. `normlab reproduce --reading NAME` runs a claim under one of them.
 */
import type { ExperimentConfig } from './config';
import { applyOverrides, type JsonObject } from './configOverrides';
import { UserError } from './errors';

export interface Reading {
  name: string;
  /** What the reading changes and why it is a candidate (one or two sentences). */
  description: string;
  /** `key=value` overrides, as --set takes them; empty for `spec`. */
  overrides: readonly string[];
  /** Whether the reading changes anything for this (parsed) experiment. */
  concerns(config: ExperimentConfig): boolean;
}

const always = (): boolean => true;
const dln = (c: ExperimentConfig): boolean => c.data.dataset === 'dln-synthetic';
const lpNormalized = (c: ExperimentConfig): boolean =>
  c.model.normalization === 'l1' || c.model.normalization === 'l2' || c.model.normalization === 'linf';
/** A hidden layer with a bias that a normalization follows: every network under a norm but dln25. */
const biasUnderNorm = (c: ExperimentConfig): boolean =>
  c.model.normalization !== 'none' && c.model.network !== 'dln25';

export const READINGS: readonly Reading[] = [
  {
    name: 'spec',
    description:
      "PAPER.md sections 1-3 as written: the config's defaults (DLN x ~ N(0, I), A ~ N(0, 1), summed " +
      'squared error; lp norms centred with N_p averaged; biases kept under a normalization).',
    overrides: [],
    concerns: always,
  },
  {
    name: 'dln-mean-loss',
    description:
      'DLN loss averaged over samples, (1/m) sum ||f(x) - A x||^2, instead of summed: the same landscape ' +
      'scaled by 1/1000 at 1,000 samples, so its starting loss is about 100 and, at the same LR, its ' +
      'steps are 1,000 times shorter.',
    overrides: ['data.lossReduction=sample-mean'],
    concerns: dln,
  },
  {
    name: 'dln-element-mean-loss',
    description:
      "DLN loss averaged over samples and coordinates (PyTorch's MSELoss default): the summed loss " +
      'divided by 10,000 at 1,000 samples of dimension 10; starting loss about 10.',
    overrides: ['data.lossReduction=element-mean'],
    concerns: dln,
  },
  {
    name: 'dln-paper-scale',
    description:
      'DLN target map A ~ N(0, 0.6^2) instead of N(0, 1): fitted so that the starting loss, 1,000 (100 ' +
      "s_A^2 + E||f(x)||^2), lands where the paper's DLN figures start (3.5e4 to 4e4; the spec's reading " +
      'starts near 1e5). The paper does not state this scale.',
    overrides: ['data.targetStd=0.6'],
    concerns: dln,
  },
  {
    name: 'lp-uncentred',
    description:
      'lp normalizations without the mean subtraction: y_hat = y / (N_p + eps) (the paper describes ' +
      'the lp norms in words only).',
    overrides: ['model.lp.centered=false'],
    concerns: lpNormalized,
  },
  {
    name: 'lp-summed',
    description:
      'lp normalizations with N_p = (sum |y|^p)^(1/p) over the batch (and H, W) instead of the mean ' +
      'inside the root; N_inf = max |y| is unchanged, so this concerns l1 and l2.',
    overrides: ['model.lp.averaged=false'],
    concerns: (c) => c.model.normalization === 'l1' || c.model.normalization === 'l2',
  },
  {
    name: 'no-norm-bias',
    description:
      'Conv and hidden linear layers followed by a normalization have no bias (BN makes it redundant; ' +
      'the lp norms do not cancel it). Layers without a normalization keep theirs.',
    overrides: ['model.biasBeforeNorm=false'],
    concerns: biasUnderNorm,
  },
];

export const READING_NAMES: readonly string[] = READINGS.map((r) => r.name);

export function findReading(name: string): Reading {
  const reading = READINGS.find((r) => r.name === name);
  if (!reading) {
    throw new UserError('usage', `unknown reading "${name}"; pick one of ${READING_NAMES.join(', ')}`);
  }
  return reading;
}

/** The experiment (as written, before parsing) under a reading: its overrides applied last. */
export function applyReading(config: JsonObject, reading: Reading): JsonObject {
  return applyOverrides(config, reading.overrides);
}
