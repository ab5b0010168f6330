/**
 * A miniature set of paper-figure runs for the figure templates' tests: for each template's figure,
 * one completed run per slot and seed, named `FIGURE-cpu/LABEL` (e.g. `fig4-cpu/bn`), with its preset
 * config (shared/figures.ts) shortened to `steps` steps (the stored config says the cadences the
 * points were written at), and synthetic but plausible values for what the templates read: train and
 * test metrics, and the series and records of the probes the preset configures (ICS, landscape,
 * activation histograms). Records are checked against shared/probes.ts's schema before they are
 * stored. Everything goes through the store's public API.
 */
import { experimentSchema, type ExperimentConfig } from '../../src/shared/config';
import { FIGURE_TEMPLATES, findTemplate } from '../../src/shared/figureTemplates';
import { findFigure } from '../../src/shared/figures';
import { probeRecordSchema, type ProbeRecord } from '../../src/shared/probes';
import type { Store, StoredPoint } from '../../src/main/store';

export interface FigureRunsOptions {
  /** Runs per slot (seeds 0..seeds-1); default 1. */
  seeds?: number;
  /** Training steps of each run; default 200. */
  steps?: number;
  /** Template names (`fig1`, ...); default every template. */
  templates?: string[];
}

const TRAIN_EVERY = 10;
const TEST_EVERY = 50;
/** The probes' cadence: a tenth of the default 200 steps. */
const PROBE_EVERY = 20;
const VGG_ETA_MULTIPLIERS = [0.5, 1, 2, 4];
const DLN_ETA_MULTIPLIERS = [0.01, 0.1, 1, 10, 30];

/** mulberry32: a small seeded generator, so the fixture's values are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** How well a normalization trains in the fixture (BN best, the plain network slowest). */
function quality(config: ExperimentConfig): number {
  const norm = config.model.normalization;
  if (norm === 'none') return config.optimizer.lr >= 0.5 ? 0 : 0.6;
  if (norm === 'batch') return 1;
  if (norm === 'noisy-batch') return 0.9;
  return 0.95;
}

/** The preset's config over `steps` steps, with the fixture's cadences. */
function fixtureConfig(name: string, steps: number, seed: number): ExperimentConfig {
  const figureName = name.slice(0, name.indexOf('/'));
  const run = findFigure(figureName)?.runs.find((r) => r.name === name);
  if (!run) throw new Error(`shared/figures.ts has no run ${name}`);
  const base = experimentSchema.parse({ ...run.config, name, seed });
  const probes = structuredClone(base.probes);
  for (const probe of [probes.ics, probes.landscape, probes.activations]) {
    if (probe.every > 0) probe.every = PROBE_EVERY;
  }
  return experimentSchema.parse({
    ...base,
    schedule: {
      ...base.schedule,
      steps,
      trainMetricsEvery: TRAIN_EVERY,
      testMetricsEvery: base.model.network === 'dln25' ? 0 : TEST_EVERY,
    },
    probes,
  });
}

/** A normal histogram of `count` values over mean +- 3 sd in `bins` bins. */
function histogram(mean: number, sd: number, bins: number, count: number) {
  const lo = mean - 3 * sd;
  const hi = mean + 3 * sd;
  const edges = Array.from({ length: bins + 1 }, (_, b) => lo + ((hi - lo) * b) / bins);
  const density = (x: number): number => Math.exp(-0.5 * ((x - mean) / sd) ** 2);
  const weights = edges.slice(0, -1).map((e, b) => density((e + (edges[b + 1] as number)) / 2));
  const total = weights.reduce((s, w) => s + w, 0);
  return { edges, counts: weights.map((w) => Math.round((count * w) / total)), min: lo, max: hi };
}

interface Written {
  points: StoredPoint[];
  records: ProbeRecord[];
}

/** The points and records one run writes. */
function runData(config: ExperimentConfig, rand: () => number): Written {
  const points: StoredPoint[] = [];
  const records: ProbeRecord[] = [];
  const steps = config.schedule.steps;
  const q = quality(config);
  const vgg = config.model.network !== 'dln25';
  const noise = (scale: number): number => (rand() - 0.5) * 2 * scale;
  const progress = (k: number): number => 1 - Math.exp((-3 * q * k) / steps);
  const trainLoss = (k: number): number =>
    vgg
      ? 2.3 * (1 - 0.95 * progress(k)) * (1 + noise(0.05))
      : (3e4 * (1 - progress(k)) + 500) * (1 + noise(0.05));
  const add = (series: string, step: number, value: number): void => {
    points.push({ series, step, value });
  };

  for (let k = TRAIN_EVERY; k <= steps; k += TRAIN_EVERY) {
    add('train/loss', k, trainLoss(k));
    if (vgg) add('train/accuracy', k, Math.min(1, Math.max(0, 0.1 + 0.85 * progress(k) + noise(0.02))));
  }
  if (vgg) {
    // From step 0, as the trainer evaluates the initial weights (at chance) before step 1.
    for (let k = 0; k <= steps; k += TEST_EVERY)
      add('test/accuracy', k, Math.min(1, Math.max(0, 0.1 + 0.75 * progress(k) + noise(0.02))));
  }

  const bn = config.model.normalization !== 'none';
  const { ics, landscape, activations } = config.probes;
  for (let k = PROBE_EVERY; k <= steps; k += PROBE_EVERY) {
    if (ics.every > 0) {
      const l2 = ics.layers.map(() => (bn ? 5 : 0.05) * Math.exp(-k / steps) * (1 + noise(0.2)));
      const cos = ics.layers.map(() => Math.min(1, Math.max(-1, (bn ? 0.3 : 0.9) + noise(0.1))));
      ics.layers.forEach((layer, i) => {
        add(`probe/ics/layer${layer}/l2`, k, l2[i] as number);
        add(`probe/ics/layer${layer}/cos`, k, cos[i] as number);
      });
      const gradNorm = ics.layers.map(() => 1 + rand());
      records.push({
        probe: 'ics',
        step: k,
        data: { layers: [...ics.layers], l2, cos, gradNorm, shiftedGradNorm: gradNorm.map((g) => g * 1.1) },
      });
    }
    if (landscape.every > 0) {
      const multipliers = vgg ? VGG_ETA_MULTIPLIERS : DLN_ETA_MULTIPLIERS;
      const lr = config.optimizer.lr;
      const etas = multipliers.map((m) => lr * m);
      const loss = trainLoss(k);
      const roughness = bn ? 0.05 : 0.3;
      const losses = multipliers.map((m) => loss * (1 + roughness * m * (0.5 + rand())));
      const gradNorm = 1 + rand();
      // beta: the gradient changes by about beta * eta * ||g|| along the gradient.
      const beta = (vgg ? 10 : 1e5) * (bn ? 1 : 2) * (1 + noise(0.1));
      const gradChanges = etas.map((eta, i) => beta * eta * gradNorm * (1 + 0.1 * i));
      const betas = gradChanges.map((c, i) => c / ((etas[i] as number) * gradNorm));
      add('probe/landscape/loss_min', k, Math.min(...losses));
      add('probe/landscape/loss_max', k, Math.max(...losses));
      add('probe/landscape/grad_change_min', k, Math.min(...gradChanges));
      add('probe/landscape/grad_change_max', k, Math.max(...gradChanges));
      add('probe/landscape/beta_eff', k, Math.max(...betas));
      records.push({
        probe: 'landscape',
        step: k,
        data: { lr, multipliers, etas, losses, gradChanges, gradNorm, loss },
      });
    }
    if (activations.every > 0) {
      for (const layer of activations.layers) {
        // BN keeps the unit near N(0, 1); noisy BN and the plain network let it drift with training.
        const drift = config.model.normalization === 'batch' ? 0.05 : layer / 10;
        const mean = drift * (k / steps) + noise(0.02);
        const variance = (1 + drift * (k / steps)) * (1 + noise(0.05));
        const count = 1024;
        const h = histogram(mean, Math.sqrt(variance), activations.bins, count);
        add(`probe/activations/layer${layer}/mean`, k, mean);
        add(`probe/activations/layer${layer}/var`, k, variance);
        records.push({
          probe: 'activations',
          step: k,
          data: { layer, unit: 3, ...h, count, mean, variance, degenerate: false },
        });
      }
    }
  }
  return { points, records: records.map((r) => probeRecordSchema.parse(r)) };
}

/** The names of the runs a template reads from the fixture: its own figure's, at CPU scale. */
function fixtureRunNames(template: string): string[] {
  const t = findTemplate(template);
  if (!t) throw new Error(`no figure template ${template}`);
  return t.slots.map((label) => `fig${t.figure}-cpu/${label}`);
}

/**
 * Writes the runs and returns their ids by run name (`fig4-cpu/bn` -> one id per seed, oldest
 * first).
 */
export function seedFigureRuns(
  store: Store,
  options: FigureRunsOptions = {},
): { runIds: Record<string, string[]> } {
  const seeds = options.seeds ?? 1;
  const steps = options.steps ?? 200;
  const names = [
    ...new Set((options.templates ?? FIGURE_TEMPLATES.map((t) => t.name)).flatMap(fixtureRunNames)),
  ];
  const runIds: Record<string, string[]> = {};
  store.batch(() => {
    for (const name of names) {
      for (let seed = 0; seed < seeds; seed++) {
        const config = fixtureConfig(name, steps, seed);
        const id = store.createRun(config);
        store.markRunning(id, { backend: 'cpu', device: 'cpu', softwareDevice: false });
        const { points, records } = runData(config, random(hash(name) + seed));
        store.appendPoints(id, points, { lastStep: steps });
        store.appendProbeRecords(id, records);
        store.finish(id, 'completed');
        (runIds[name] ??= []).push(id);
      }
    }
  });
  return { runIds };
}
