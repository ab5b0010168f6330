/**
 * A small ProbeContext for the activation, norm and BN-gradient probe tests: a network built from a
 * model config, random weights w_{k-1} (gamma, beta and biases optionally drawn), a random batch with
 * class labels and the step's noise; the step itself is makeProbeContext's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { experimentSchema, modelSchema, type ModelConfig } from '../../../../src/shared/config';
import { softmaxCrossEntropy } from '../../../../src/main/engine/losses/crossEntropy';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import type { ForwardOptions, ParamMap } from '../../../../src/main/engine/models/networkTypes';
import { makeAlgorithm1Noise } from '../../../../src/main/engine/norms/noisyBatchNorm';
import type { ProbeContext } from '../../../../src/main/engine/probes/probe';
import { contextTensors, makeProbeContext } from './probeTestContext';

export interface TestContextInput {
  model: Partial<ModelConfig> & { network: ModelConfig['network'] };
  inputShape: number[];
  classes: number;
  batch: number;
  /** Seeds the weights, the batch and the step's noise. */
  seed: number;
  /** The run seed (config.seed); default 0. */
  runSeed?: number;
  step?: number;
  lr?: number;
  /** Replaces gamma/beta of the normalized layers by draws from U(lo, hi) (default: init 1 and 0). */
  gamma?: [number, number];
  beta?: [number, number];
  /** Scales every bias by this (random U(-1, 1) biases), to move the BN input's mean off zero. */
  biasScale?: number;
}

export interface TestContext {
  ctx: ProbeContext;
  /** Every tensor the context holds, to check that a probe disposed none of them. */
  tensors: tf.Tensor[];
  dispose(): void;
}

export function buildTestContext(input: TestContextInput): TestContext {
  const model = modelSchema.parse(input.model);
  const net = buildNetwork(model, { inputShape: input.inputShape, outputSize: input.classes });
  const lr = input.lr ?? 0.1;
  const seed = input.seed;
  const before: ParamMap = initParams(net, seed);
  net.params.forEach((p, k) => {
    const range =
      p.role === 'gamma'
        ? input.gamma
        : p.role === 'beta'
          ? input.beta
          : p.role === 'bias'
            ? biasRange(input)
            : null;
    if (!range) return;
    before[p.name]?.dispose();
    before[p.name] = tf.randomUniform(p.shape, range[0], range[1], 'float32', seed * 100 + k);
  });
  const x = tf.randomNormal([input.batch, ...input.inputShape], 0, 1, 'float32', seed + 1);
  const labels = Array.from({ length: input.batch }, (_, n) => (n * 7 + seed) % input.classes);
  const y = tf.tensor1d(labels, 'int32');
  const forward: ForwardOptions = {
    training: true,
    ...(model.normalization === 'noisy-batch' ? { noise: makeAlgorithm1Noise(model.noisy, seed + 2) } : {}),
  };
  const config = experimentSchema.parse({
    seed: input.runSeed ?? 0,
    model,
    data: { dataset: model.network.startsWith('vgg') ? 'cifar10' : 'dln-synthetic' },
    optimizer: { name: 'sgd', lr },
    schedule: { steps: 10 },
  });
  const made = makeProbeContext({
    net,
    params: before,
    x,
    y,
    loss: softmaxCrossEntropy,
    lr,
    forward,
    config,
    ...(input.step !== undefined ? { step: input.step } : {}),
  });
  const tensors = contextTensors(made.ctx);
  return {
    ctx: made.ctx,
    tensors,
    dispose: () => {
      made.dispose();
      tf.dispose([...Object.values(before), x, y]);
    },
  };
}

function biasRange(input: TestContextInput): [number, number] | null {
  return input.biasScale === undefined ? null : [-input.biasScale, input.biasScale];
}
