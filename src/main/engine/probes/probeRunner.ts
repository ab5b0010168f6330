/**
 * Runs the probes a config turns on (shared/probes.ts) at their cadences, around training step k:
 *
 *   before the step: w_{k-1} is kept (a clone shares the weights' storage; the optimizer's update
 *   then writes new tensors), and the step hands over its gradient g = grad L_k(w_{k-1});
 *   after the step: each due probe runs on the step's minibatch with w_{k-1}, w_k and g (probe.ts).
 *
 * Every probe runs at steps 1 and every `every`-th step (norms: with the train metrics). Each records
 * its cost (wall time, extra forward and forward+backward passes) as probe/NAME/cost/...; a probe that
 * fails records why and training goes on. Every series of a probe starts with probe/NAME/, NAME its
 * config key (ARCHITECTURE.md "Naming"). Probes never touch the optimizer, the running estimates or the random
 * streams, so training is identical with probes on or off (test/main/engine/probes/probeRunner.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../shared/config';
import type { MetricPoint } from '../../../shared/events';
import { PROBE_NAMES, type ProbeName, type ProbeRecord } from '../../../shared/probes';
import type { Network, ParamMap } from '../models/networkTypes';
import type { ProbeContext, ProbeResult } from './probe';
import { measureActivations } from './activations';
import { measureBnGradients } from './bnGradientDecomposition';
import { measureHessian } from './hessian';
import { measureInternalCovariateShift } from './internalCovariateShift';
import { defaultEtaMultipliers, measureLandscape } from './landscape';
import { measureParameterNorms } from './parameterNorms';
import { probedLayers } from './probe';

/** What the step hands to the probes; the runner disposes it. */
export interface ProbeStepInput {
  step: number;
  before: ParamMap;
  grads: ParamMap;
}

export interface ProbeStepOutput {
  points: MetricPoint[];
  records: ProbeRecord[];
  /** Wall time (ms) of each probe run at this step, a failed one included. */
  costs: Partial<Record<ProbeName, number>>;
}

export type Measure = (ctx: ProbeContext) => Promise<ProbeResult>;

export class ProbeRunner {
  private readonly measures: Record<ProbeName, Measure>;

  /** `replace` swaps probe implementations (tests: a probe that fails). */
  constructor(
    private readonly net: Network,
    private readonly config: ExperimentConfig,
    replace: Partial<Record<ProbeName, Measure>> = {},
  ) {
    const p = config.probes;
    this.measures = {
      ics: (ctx) => measureInternalCovariateShift(ctx, probedLayers(net, p.ics.layers)),
      landscape: (ctx) =>
        measureLandscape(
          ctx,
          p.landscape.etaMultipliers.length > 0
            ? p.landscape.etaMultipliers
            : defaultEtaMultipliers(config.model.network),
        ),
      activations: (ctx) =>
        measureActivations(ctx, probedLayers(net, p.activations.layers), p.activations.bins),
      norms: (ctx) => measureParameterNorms(ctx),
      bnGradients: (ctx) => measureBnGradients(ctx, probedLayers(net, p.bnGradients.layers)),
      hessian: (ctx) => measureHessian(ctx, p.hessian),
      ...replace,
    };
  }

  /**
   * Steps between two runs of each probe that runs: its `every` (norms: the train-metric cadence by
   * default). The BN decomposition never runs on networks without batch norm (a config may keep it
   * on for a plain/BN pair).
   */
  cadences(): Partial<Record<ProbeName, number>> {
    const bn = ['batch', 'noisy-batch'].includes(this.config.model.normalization);
    const out: Partial<Record<ProbeName, number>> = {};
    for (const name of PROBE_NAMES) {
      if (name === 'bnGradients' && !bn) continue;
      const every = this.config.probes[name].every;
      const n = every === 'train' ? this.config.schedule.trainMetricsEvery : every;
      if (n > 0) out[name] = n;
    }
    return out;
  }

  /** The probes due at step k: each at step 1 and every multiple of its cadence. */
  due(k: number): ProbeName[] {
    const cadences = this.cadences();
    return PROBE_NAMES.filter((name) => {
      const n = cadences[name];
      return n !== undefined && (k === 1 || k % n === 0);
    });
  }

  /**
   * Runs the due probes of step input.step. `ctx` supplies the rest of the context (minibatch, loss,
   * forward options, w_k); the input's tensors are disposed here whatever happens.
   */
  async run(
    input: ProbeStepInput,
    ctx: Omit<ProbeContext, 'net' | 'config' | 'step' | 'before' | 'grads'>,
  ): Promise<ProbeStepOutput> {
    const out: ProbeStepOutput = { points: [], records: [], costs: {} };
    try {
      const full: ProbeContext = {
        ...ctx,
        net: this.net,
        config: this.config,
        step: input.step,
        before: input.before,
        grads: input.grads,
      };
      for (const name of this.due(input.step)) {
        const started = performance.now();
        // Tensors a probe creates and does not keep go with its scope, even when it throws midway.
        tf.engine().startScope();
        try {
          const r = await this.measures[name](full);
          out.points.push(...r.points);
          out.records.push(...r.records);
          const ms = performance.now() - started;
          out.points.push(
            { series: `probe/${name}/cost/ms`, step: input.step, value: ms },
            { series: `probe/${name}/cost/forward_passes`, step: input.step, value: r.passes.forward },
            { series: `probe/${name}/cost/backward_passes`, step: input.step, value: r.passes.backward },
          );
        } catch (e) {
          out.records.push({
            probe: name,
            step: input.step,
            data: { error: e instanceof Error ? e.message : String(e) },
          });
        } finally {
          tf.engine().endScope();
          out.costs[name] = performance.now() - started;
        }
      }
    } finally {
      tf.dispose(Object.values(input.before));
      tf.dispose(Object.values(input.grads));
    }
    return out;
  }
}

/** Keeps w_{k-1} for the probes: clones share storage until the optimizer writes new weights. */
export function snapshot(params: ParamMap): ParamMap {
  const out: ParamMap = {};
  for (const [name, t] of Object.entries(params)) out[name] = tf.keep(tf.clone(t));
  return out;
}
