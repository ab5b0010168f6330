/**
 * Training throughput of one network on the current backend, measured the way the PyTorch peer
 * (../shared/bench/torch_vgg_cpu.py) measures it: random inputs and labels, plain SGD, a few warm-up
 * steps, then the mean wall time of timed steps. Effective GFLOP/s counts forward + backward as 3x the
 * forward FLOPs (2 per multiply-add), as the peer does. A spec naming a preset measures that
 * preset's model (e.g. the CPU-scale VGG16 at width 1/4), without its probes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  BenchResult,
  BenchSpec,
  ProbeCost,
  ProbeOverheadResult,
  ProbeOverheadSpec,
} from '../../../shared/bench';
import { experimentSchema, modelSchema, type ModelConfig } from '../../../shared/config';
import { findPreset } from '../../../shared/presets';
import { PROBE_NAMES, type ProbeName } from '../../../shared/probes';
import { makeAlgorithm1Noise } from '../norms/noisyBatchNorm';
import { ProbeRunner } from '../probes/probeRunner';
import { deriveSeed } from '../rng/seeds';
import { trainingStep } from './trainingStep';
import { buildNetwork } from '../models/network';
import { lossFor } from '../losses/lossFor';
import type { Task } from '../tasks/task';
import { TrainingState } from './trainingState';

export async function benchmarkTraining(spec: BenchSpec): Promise<BenchResult> {
  const config = experimentSchema.parse({
    model: benchModel(spec),
    data: { dataset: 'cifar10' },
    optimizer: { name: 'sgd', lr: 0.05 },
    schedule: { steps: spec.warmupSteps + spec.timedSteps, batchSize: spec.batchSize },
  });
  const task = randomImageTask(spec.batchSize);
  const { x, y: labels } = task.trainBatch(1);
  const net = buildNetwork(config.model, { inputShape: [32, 32, 3], outputSize: 10 });
  const state = TrainingState.fresh(net, config);
  const step = async (): Promise<void> => {
    // Noisy BN draws its Algorithm 1 noise every step, as training does (trainingStep.ts).
    const noise =
      config.model.normalization === 'noisy-batch'
        ? makeAlgorithm1Noise(config.model.noisy, deriveSeed(config.seed, 'noise', state.step + 1))
        : undefined;
    const out = tf.tidy(() => state.step_(x, labels, task, noise));
    await out.data();
    out.dispose();
  };
  try {
    for (let i = 0; i < spec.warmupSteps; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < spec.timedSteps; i++) await step();
    const msPerStep = (performance.now() - t0) / spec.timedSteps;
    const flops = 3 * net.flopsPerExample() * spec.batchSize;
    return {
      ...spec,
      msPerStep,
      imagesPerSec: (1000 * spec.batchSize) / msPerStep,
      gflops: flops / (msPerStep * 1e6),
    };
  } finally {
    state.dispose();
    x.dispose();
    labels.dispose();
    task.dispose();
  }
}

/** The model a spec measures: its preset's model config, or its network with default settings. */
export function benchModel(spec: BenchSpec): ModelConfig {
  if (spec.preset === undefined) {
    return modelSchema.parse({
      network: spec.network,
      normalization: spec.normalization,
      ...(spec.widthMultiplier !== undefined ? { widthMultiplier: spec.widthMultiplier } : {}),
    });
  }
  const preset = findPreset(spec.preset);
  if (!preset) throw new Error(`benchmarkTraining: no preset ${spec.preset}`);
  const config = experimentSchema.parse(preset.config);
  if (config.data.dataset !== 'cifar10') {
    throw new Error(
      `benchmarkTraining: ${spec.preset} is not a CIFAR-10 preset; the benchmark feeds 32x32x3 images`,
    );
  }
  const m = config.model;
  const width = spec.widthMultiplier ?? 1;
  if (m.network !== spec.network || m.normalization !== spec.normalization || m.widthMultiplier !== width) {
    throw new Error(
      `benchmarkTraining: the spec says ${spec.network} at width ${width} with normalization ` +
        `${spec.normalization}, but preset ${spec.preset} is ${m.network} at width ${m.widthMultiplier} ` +
        `with ${m.normalization}`,
    );
  }
  return m;
}

/**
 * The wall-time overhead of a preset's probe set at its own cadences. Steps without probes give the
 * step time T; steps with every probe of the preset due give each probe's cost c_p (its own wall
 * time, as the runner records it); a probe run every n_p steps adds c_p / (n_p T) to the training
 * time, and the overhead is the sum over the probes. Measuring every probe at every timed step keeps
 * the benchmark to a few dozen steps instead of the hundreds a cadence of 100 needs.
 */
export async function benchmarkProbeOverhead(spec: ProbeOverheadSpec): Promise<ProbeOverheadResult> {
  const preset = findPreset(spec.preset);
  if (!preset) throw new Error(`benchmarkProbeOverhead: no preset ${spec.preset}`);
  const config = experimentSchema.parse(preset.config);
  config.schedule.batchSize = spec.batchSize;
  const cadence = (name: ProbeName): number => {
    const every = config.probes[name].every;
    return every === 'train' ? config.schedule.trainMetricsEvery : every;
  };
  const measured = PROBE_NAMES.filter((name) => cadence(name) > 0);
  // Every measured probe due at every step.
  const everyStep = structuredClone(config);
  everyStep.schedule.trainMetricsEvery = 1;
  for (const name of PROBE_NAMES) {
    const p = everyStep.probes[name] as { every: number | 'train' };
    p.every = measured.includes(name) ? 1 : 0;
  }
  const noProbes = structuredClone(everyStep);
  for (const name of PROBE_NAMES) (noProbes.probes[name] as { every: number | 'train' }).every = 0;

  const net = buildNetwork(config.model, { inputShape: [32, 32, 3], outputSize: 10 });
  const task = randomImageTask(spec.batchSize);
  const state = TrainingState.fresh(net, config);
  const totals = new Map<ProbeName, { ms: number; forward: number; backward: number }>();
  try {
    const run = async (runner: ProbeRunner, steps: number): Promise<number> => {
      let ms = 0;
      for (let i = 0; i < steps; i++) {
        const batch = task.trainBatch(state.step + 1);
        const noise =
          config.model.normalization === 'noisy-batch'
            ? makeAlgorithm1Noise(config.model.noisy, deriveSeed(config.seed, 'noise', state.step + 1))
            : undefined;
        const out = await trainingStep(state, task, config, runner, batch, noise);
        batch.x.dispose();
        batch.y.dispose();
        ms += out.stepMs;
        for (const p of out.probePoints) {
          const m = /^probe\/(\w+)\/cost\/(ms|forward_passes|backward_passes)$/.exec(p.series);
          if (!m) continue;
          const t = totals.get(m[1] as ProbeName) ?? { ms: 0, forward: 0, backward: 0 };
          if (m[2] === 'ms') t.ms += p.value;
          else if (m[2] === 'forward_passes') t.forward += p.value;
          else t.backward += p.value;
          totals.set(m[1] as ProbeName, t);
        }
      }
      return ms / steps;
    };
    const plain = new ProbeRunner(net, noProbes);
    await run(plain, spec.warmupSteps);
    const stepMs = await run(plain, spec.timedSteps);
    const probing = new ProbeRunner(net, everyStep);
    await run(probing, 1);
    totals.clear();
    await run(probing, spec.timedSteps);
    const probes = measured.map((probe): ProbeCost => {
      const t = totals.get(probe) ?? { ms: 0, forward: 0, backward: 0 };
      const ms = t.ms / spec.timedSteps;
      return {
        probe,
        ms,
        every: cadence(probe),
        forwardPasses: t.forward / spec.timedSteps,
        backwardPasses: t.backward / spec.timedSteps,
        overhead: ms / (cadence(probe) * stepMs),
      };
    });
    return {
      ...spec,
      network: config.model.network,
      normalization: config.model.normalization,
      stepMs,
      probes,
      overhead: probes.reduce((s, p) => s + p.overhead, 0),
    };
  } finally {
    state.dispose();
    task.dispose();
  }
}

/** Random CIFAR-shaped images and labels, one fixed minibatch (as the PyTorch peer measures). */
function randomImageTask(batchSize: number): Task & { dispose(): void } {
  const loss = lossFor('cifar10');
  const x = tf.randomNormal([batchSize, 32, 32, 3], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([batchSize], 0, 10, 'int32', 2);
  return {
    kind: 'classification',
    inputShape: [32, 32, 3],
    outputSize: 10,
    batchSize,
    trainSize: batchSize,
    testSize: 0,
    hasTestSet: false,
    trainBatch: () => ({ x: x.clone(), y: labels.clone() }),
    testBatches: () => [],
    loss: loss.loss,
    lossSum: loss.lossSum,
    ...(loss.correct ? { correct: loss.correct } : {}),
    describe: () => ({}),
    dispose: () => {
      x.dispose();
      labels.dispose();
    },
  };
}
