/**
 * The scales of `normlab reproduce`, each a transformation of the figure presets (shared/figures.ts):
 * start from the presets at `presetScale` and override the schedule, the probes' cadence and the
 * seeds per network. The constants are the protocol; the reasons are beside them.
 *
 * - paper: PAPER.md section 2 as the presets hold it (vgg16 full width 15k steps at batch 128, probes
 *   every 100; dln25 full-batch GD 10k steps, probes every 50); meant for a GPU.
 * - cpu: meant to fit 90 minutes on a 2-core machine (a target not yet timed here: `--plan`'s
 *   estimate checks it once a run of each network is stored; shrink VGG's steps if it does not
 *   fit). vgg16 keeps its depth (13 conv layers, so every probed layer of every figure exists) at
 *   width 1/4 and 600 steps (about 1.5 epochs at batch 128,
 *   enough for Fig 1's BN-vs-plain gap and the LR 0.5 plain run staying near chance); the probes run
 *   every 50 steps (13 calls), tests on the first 2,000 test images every 200 steps. The DLN keeps the
 *   paper's protocol (25 layers, 10k steps of full-batch GD): it is cheap, so it gets 2 seeds.
 *   What may not survive: the late-training part of the curves (VGG reaches well under the paper's
 *   ~90% train accuracy, so Fig 3a's ICS and Fig 4's bands cover only early training, where the
 *   paper's gaps are also widest), and width 1/4 changes the absolute loss and beta scales.
 * - smoke: the pipeline end to end in about a minute (the report's test runs it): vgg16 at width 1/16
 *   for 6 steps at batch 16, the DLN 20 steps, every probe every 2 or 4 steps so that each claim has
 *   numbers to compute; the numbers mean nothing.
 * - quick: the whole pipeline in under 10 minutes, every figure and panel, numbers not meaningful:
 *   vgg16 at width 1/8, 30 steps at batch 32 with probes every 10; the DLN 500 steps, probes every 25.
 */
import type { ExperimentInput } from '../../../shared/config';
import type { ReproScale } from '../../../shared/reproduce';

export { isReproScale, REPRO_SCALES, type ReproScale } from '../../../shared/reproduce';

/** What a scale sets on one network's runs; undefined keeps the preset's value. */
export interface NetProtocol {
  widthMultiplier?: number;
  steps?: number;
  batchSize?: number;
  trainMetricsEvery?: number;
  testMetricsEvery?: number;
  checkpointEvery?: number;
  /** data.testLimit: evaluate on the first N test images (0: all). */
  testLimit?: number;
  /** Every probe the preset turns on (every > 0) runs every this many steps. */
  probeEvery?: number;
  /** Runs per configuration, seeds 0 .. seeds - 1. */
  seeds: number;
}

export interface ScaleProtocol {
  scale: ReproScale;
  /** The figure presets it starts from (`fig4` or `fig4-cpu`). */
  presetScale: 'paper' | 'cpu';
  vgg: NetProtocol;
  dln: NetProtocol;
  /** How it departs from the paper's protocol, for the report. */
  departures: readonly string[];
}

export const SCALES: Readonly<Record<ReproScale, ScaleProtocol>> = {
  paper: {
    scale: 'paper',
    presetScale: 'paper',
    vgg: { seeds: 3 },
    dln: { seeds: 3 },
    departures: [],
  },
  cpu: {
    scale: 'cpu',
    presetScale: 'cpu',
    vgg: {
      widthMultiplier: 0.25,
      steps: 600,
      trainMetricsEvery: 10,
      testMetricsEvery: 200,
      checkpointEvery: 150,
      testLimit: 2000,
      probeEvery: 50,
      seeds: 1,
    },
    dln: { probeEvery: 50, seeds: 2 },
    departures: [
      'VGG: vgg16 at width 1/4 (the depth kept), 600 steps instead of 15k, probes every 50 steps instead of 100, test accuracy on the first 2,000 test images; one seed',
      'DLN: the paper protocol (10k steps, probes every 50), two seeds',
    ],
  },
  smoke: {
    scale: 'smoke',
    presetScale: 'cpu',
    vgg: {
      widthMultiplier: 0.0625,
      steps: 6,
      batchSize: 16,
      trainMetricsEvery: 1,
      testMetricsEvery: 2,
      checkpointEvery: 3,
      testLimit: 64,
      probeEvery: 2,
      seeds: 1,
    },
    dln: { steps: 20, trainMetricsEvery: 1, checkpointEvery: 10, probeEvery: 4, seeds: 1 },
    departures: [
      'a check of the pipeline, not a reproduction: vgg16 at width 1/16 for 6 steps at batch 16, the DLN 20 steps; one seed; the numbers mean nothing',
    ],
  },
  quick: {
    scale: 'quick',
    presetScale: 'cpu',
    vgg: {
      widthMultiplier: 0.125,
      steps: 30,
      batchSize: 32,
      trainMetricsEvery: 5,
      testMetricsEvery: 15,
      checkpointEvery: 15,
      testLimit: 500,
      probeEvery: 10,
      seeds: 1,
    },
    dln: { steps: 500, trainMetricsEvery: 5, checkpointEvery: 100, probeEvery: 25, seeds: 1 },
    departures: [
      'a first look, not a reproduction: vgg16 at width 1/8 for 30 steps at batch 32, the DLN 500 steps; one seed',
    ],
  },
};

type ProbesRecord = Record<string, { every?: unknown } & Record<string, unknown>>;

/** The preset's experiment under a network's protocol (a new object; the preset is untouched). */
export function applyProtocol(config: ExperimentInput, p: NetProtocol): ExperimentInput {
  const out = structuredClone(config);
  if (p.widthMultiplier !== undefined) out.model = { ...out.model, widthMultiplier: p.widthMultiplier };
  const schedule = { ...out.schedule };
  if (p.steps !== undefined) schedule.steps = p.steps;
  if (p.batchSize !== undefined) schedule.batchSize = p.batchSize;
  if (p.trainMetricsEvery !== undefined) schedule.trainMetricsEvery = p.trainMetricsEvery;
  if (p.testMetricsEvery !== undefined) schedule.testMetricsEvery = p.testMetricsEvery;
  if (p.checkpointEvery !== undefined) schedule.checkpointEvery = p.checkpointEvery;
  out.schedule = schedule;
  if (p.testLimit !== undefined) out.data = { ...out.data, testLimit: p.testLimit };
  if (p.probeEvery !== undefined && out.probes) {
    const probes = out.probes as ProbesRecord;
    for (const probe of Object.values(probes)) {
      if (typeof probe.every === 'number' && probe.every > 0) probe.every = p.probeEvery;
    }
  }
  return out;
}
