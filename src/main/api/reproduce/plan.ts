/**
 * The runs `normlab reproduce --scale S [--only figN] [--reading NAME]` trains: every run of every
 * figure preset (shared/figures.ts) at the scale's protocol (scales.ts), once per seed, under the
 * reading where it concerns the run, deduplicated. Runs whose final configs are equal run once (Figs
 * 2 and 8, 5 and 12, Fig 4's runs in Fig 11), and runs equal but for their probes merge into one run
 * recording all of them (mergeProbes.ts: Fig 1's LR 0.1 runs with Fig 4's, Fig 9's DLN runs with
 * Fig 10's). Each template slot maps to the keys of the runs that fill it, one per seed.
 */
import { parseExperiment, type JsonObject } from '../../../shared/configOverrides';
import type { ExperimentConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { FIGURES, type FigureRun } from '../../../shared/figures';
import { applyReading, findReading, type Reading } from '../../../shared/readings';
import { mergeKey, mergeProbes } from './mergeProbes';
import { runKey } from './runKey';
import { applyProtocol, SCALES, type ReproScale } from './scales';

export interface PlanOptions {
  scale: ReproScale;
  /** A figure, `fig4` or `4`; all of them when absent. */
  only?: string;
  /** A reading's name (shared/readings.ts); `spec` when absent. */
  reading?: string;
}

/** A figure's slot that a run fills. */
export interface SlotUse {
  /** The figure template, `fig4`. */
  template: string;
  slot: string;
}

export interface PlannedRun {
  /** runKey of `config`: how a rerun finds it in the store. */
  key: string;
  /** `fig4/bn seed 0` after its first use. */
  name: string;
  tag: string;
  network: 'vgg' | 'dln';
  seed: number;
  config: ExperimentConfig;
  /** Whether the reading's overrides apply to it (false for `spec` and runs it does not concern). */
  readingApplied: boolean;
  uses: SlotUse[];
}

export interface ReproPlan {
  scale: ReproScale;
  reading: string;
  /** The tag every run carries: `repro:SCALE:READING`. */
  tag: string;
  /** The figure templates covered, `fig1` ... in the presets' order. */
  templates: string[];
  runs: PlannedRun[];
  /** template -> slot -> the keys of its runs (one per seed). */
  slots: Record<string, Record<string, string[]>>;
}

export function reproTag(scale: ReproScale, reading: string): string {
  return `repro:${scale}:${reading}`;
}

function figureFilter(only: string | undefined): (figure: string) => boolean {
  if (only === undefined) return () => true;
  const wanted = only.replace(/^fig/i, '');
  if (!FIGURES.some((f) => f.figure === wanted)) {
    const names = [...new Set(FIGURES.map((f) => `fig${f.figure}`))];
    throw new UserError('usage', `--only ${only}: no such figure; pick one of ${names.join(', ')}`);
  }
  return (figure) => figure === wanted;
}

interface Candidate {
  config: ExperimentConfig;
  network: 'vgg' | 'dln';
  readingApplied: boolean;
  use: SlotUse;
}

const networkOf = (preset: FigureRun): 'vgg' | 'dln' =>
  preset.config.model.network === 'dln25' ? 'dln' : 'vgg';

/** A preset's run at the scale's protocol and `seed`, under the reading where it concerns the run. */
function candidate(
  preset: FigureRun,
  template: string,
  seed: number,
  reading: Reading,
  scale: ReproScale,
): Candidate {
  const network = networkOf(preset);
  const input: JsonObject = { ...applyProtocol(preset.config, SCALES[scale][network]), seed };
  const origin = `${preset.name} at ${scale} scale, seed ${seed}`;
  const plain = parseExperiment(input, origin);
  const applied = reading.overrides.length > 0 && reading.concerns(plain);
  const config = applied
    ? parseExperiment(applyReading(input, reading), `${origin} under reading ${reading.name}`)
    : plain;
  return { config, network, readingApplied: applied, use: { template, slot: preset.label } };
}

export function buildPlan(options: PlanOptions): ReproPlan {
  const protocol = SCALES[options.scale];
  const reading = findReading(options.reading ?? 'spec');
  const keep = figureFilter(options.only);
  const tag = reproTag(options.scale, reading.name);
  const figures = FIGURES.filter((f) => f.scale === protocol.presetScale && keep(f.figure));

  // Candidates that may share a run, by mergeKey, in the presets' order.
  const groups = new Map<string, Candidate[]>();
  for (const figure of figures) {
    for (const preset of figure.runs) {
      for (let seed = 0; seed < protocol[networkOf(preset)].seeds; seed++) {
        const c = candidate(preset, `fig${figure.figure}`, seed, reading, options.scale);
        const k = mergeKey(c.config);
        const group = groups.get(k);
        if (group) group.push(c);
        else groups.set(k, [c]);
      }
    }
  }

  const runs: PlannedRun[] = [];
  const slots: Record<string, Record<string, string[]>> = {};
  for (const group of groups.values()) {
    const first = group[0] as Candidate;
    const config = mergeProbes(group.map((c) => c.config));
    const key = runKey(config);
    const uses: SlotUse[] = [];
    for (const c of group) {
      if (!uses.some((u) => u.template === c.use.template && u.slot === c.use.slot)) uses.push(c.use);
    }
    const name = `${first.use.template}/${first.use.slot} seed ${config.seed}`;
    runs.push({
      key,
      name,
      tag,
      network: first.network,
      seed: config.seed,
      config: { ...config, name },
      readingApplied: first.readingApplied,
      uses,
    });
    for (const use of uses) {
      const bySlot = (slots[use.template] ??= {});
      (bySlot[use.slot] ??= []).push(key);
    }
  }
  return {
    scale: options.scale,
    reading: reading.name,
    tag,
    templates: figures.map((f) => `fig${f.figure}`),
    runs,
    slots,
  };
}
