/**
 * How long an experiment will take on this machine, from what this machine has done: the newest
 * stored run of the same network, width and normalization (on the same backend when the experiment
 * names one or the defaultBackend setting does), its training throughput and each probe's time per
 * call:
 *
 *   seconds = steps x batchSize / (examples/s)  +  sum over probes p of calls_p x ms_p / 1000
 *
 * where a probe due every e steps runs at step 1 and every e-th step, calls = floor(steps / e) + 1
 * (steps for e = 1). Test evaluations are not counted. Without such a run the estimate is null, and
 * the basis says why.
 */
import type { ExperimentConfig } from '../../shared/config';
import { PROBE_NAMES, type ProbeName } from '../../shared/probes';
import type { Store } from '../store';

export interface Estimate {
  estimateSec: number | null;
  estimateBasis: string;
}

/** Calls of a probe due every `every` steps over `steps` steps (0: off). */
export function probeCalls(every: number, steps: number): number {
  if (every <= 0) return 0;
  return every === 1 ? steps : Math.floor(steps / every) + 1;
}

/**
 * The cadence of each probe the experiment runs (the norms follow the train metrics by default), as
 * the engine's ProbeRunner.cadences has them: the BN decomposition never runs on a network without
 * batch norm.
 */
export function probeCadences(config: ExperimentConfig): [ProbeName, number][] {
  const bn = config.model.normalization === 'batch' || config.model.normalization === 'noisy-batch';
  return PROBE_NAMES.flatMap((name): [ProbeName, number][] => {
    if (name === 'bnGradients' && !bn) return [];
    const every = config.probes[name].every;
    const steps = every === 'train' ? config.schedule.trainMetricsEvery : every;
    return steps > 0 ? [[name, steps]] : [];
  });
}

export function estimate(store: Store, config: ExperimentConfig, preferredBackend?: string): Estimate {
  const backend = config.backend !== 'auto' ? config.backend : preferredBackend;
  const what = `${config.model.network}${config.model.widthMultiplier !== 1 ? ` x${config.model.widthMultiplier}` : ''} with ${config.model.normalization} normalization`;
  const sample = store.throughputSample({
    network: config.model.network,
    normalization: config.model.normalization,
    widthMultiplier: config.model.widthMultiplier,
    backend: backend === 'auto' ? undefined : backend,
  });
  if (!sample) {
    return {
      estimateSec: null,
      estimateBasis: `no run of ${what}${backend && backend !== 'auto' ? ` on ${backend}` : ''} is stored yet; run one to time it on this machine`,
    };
  }
  const { steps, batchSize } = config.schedule;
  const trainSec = (steps * batchSize) / sample.examplesPerSec;
  let probeSec = 0;
  const unmeasured: string[] = [];
  for (const [name, every] of probeCadences(config)) {
    const ms = sample.probeMs[name];
    if (ms === undefined) unmeasured.push(name);
    else probeSec += (probeCalls(every, steps) * ms) / 1000;
  }
  const parts = [`${Math.round(sample.examplesPerSec)} examples/s on ${sample.backend}`];
  if (probeSec > 0) parts.push(`probes ${Math.round(probeSec)} s`);
  const missing =
    unmeasured.length > 0
      ? `; not counted: the ${unmeasured.join(', ')} probe(s), which that run did not measure`
      : '';
  return {
    estimateSec: trainSec + probeSec,
    estimateBasis: `from run ${sample.runId} of ${what}: ${parts.join(', ')}${missing}; test evaluations not counted`,
  };
}
