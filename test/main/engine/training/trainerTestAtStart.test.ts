/**
 * The test evaluation at step 0: a fresh run with test metrics logs test/loss and test/accuracy of its
 * initial weights at step 0, equal to a forward pass over the whole test set computed here without
 * the trainer's evaluation; it changes nothing of the training trajectory; and a resumed run, from a
 * later checkpoint or from one written at step 0, does not log step 0 again.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../../../src/main/engine/tasks/createTask';
import { buildNetwork } from '../../../../src/main/engine/models/network';
import { initParams } from '../../../../src/main/engine/models/params';
import { initRunningStats } from '../../../../src/main/engine/models/runningStats';
import { train, type Control, type TrainResult } from '../../../../src/main/engine/training/trainer';
import { experimentSchema, type ExperimentConfig, type ExperimentInput } from '../../../../src/shared/config';
import type { MetricPoint } from '../../../../src/shared/events';

const CIFAR = resolve(__dirname, '../../../../../shared/data/cifar10');
const backend = { name: 'cpu' as const, device: 'test', software: false, details: {} };

interface Recorded {
  result: TrainResult;
  points: MetricPoint[];
  checkpoints: Map<number, Uint8Array>;
}

async function run(
  input: ExperimentInput,
  opts: { resumeFrom?: Uint8Array; control?: (step: number) => Control; afterPause?: 'run' | 'stop' } = {},
): Promise<Recorded> {
  const config = experimentSchema.parse(input);
  const rec: Recorded = { result: { outcome: 'completed', step: 0 }, points: [], checkpoints: new Map() };
  let step = 0;
  rec.result = await train({
    config,
    task: createTask(config),
    backend,
    ...(opts.resumeFrom ? { resumeFrom: opts.resumeFrom } : {}),
    hooks: {
      emit: (e) => {
        if (e.type === 'metrics') rec.points.push(...e.points);
        if (e.type === 'progress') step = e.step;
      },
      saveCheckpoint: (s, bytes) => void rec.checkpoints.set(s, bytes.slice()),
      control: () => opts.control?.(step) ?? 'run',
      waitForResume: () => Promise.resolve(opts.afterPause ?? 'run'),
    },
  });
  return rec;
}

const series = (points: MetricPoint[], name: string): [number, number][] =>
  points.filter((p) => p.series === name).map((p) => [p.step, p.value]);

/** A vgg-tiny with BatchNorm (running estimates an evaluation must only read), momentum, augmentation. */
function vgg(testMetricsEvery: number): ExperimentInput {
  return {
    seed: 11,
    model: { network: 'vgg-tiny', normalization: 'batch' },
    data: {
      dataset: 'cifar10',
      dir: CIFAR,
      trainLimit: 48,
      testLimit: 20,
      augment: { crop: true, flip: true },
    },
    optimizer: { name: 'momentum', lr: 0.05 },
    schedule: {
      steps: 4,
      batchSize: 8,
      trainMetricsEvery: 1,
      testMetricsEvery,
      testBatchSize: 8,
      checkpointEvery: 2,
    },
  };
}

/**
 * Mean cross-entropy and accuracy of the initial weights over the whole test set in one batch, in eval
 * mode (the initial running estimates), with the softmax written out: -log softmax(o)_y =
 * logsumexp(o) - o_y.
 */
function initialEvaluation(config: ExperimentConfig): { loss: number; accuracy: number } {
  const task = createTask(config);
  const net = buildNetwork(config.model, { inputShape: [...task.inputShape], outputSize: task.outputSize });
  const params = initParams(net, config.seed);
  const running = initRunningStats(net);
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  for (const b of task.testBatches()) {
    xs.push(b.x);
    ys.push(b.y);
  }
  const [loss, accuracy] = tf.tidy(() => {
    const x = tf.concat(xs);
    const y = tf.concat(ys).toInt();
    const o = net.forward(params, x, { training: false, running }).output;
    const max = o.max(1, true);
    const logSumExp = o
      .sub(max)
      .exp()
      .sum(1)
      .log()
      .add(max.squeeze([1]));
    const picked = o.mul(tf.oneHot(y, task.outputSize)).sum(1);
    const ce = logSumExp.sub(picked).mean();
    const correct = o.argMax(1).equal(y).toFloat().sum();
    return [ce.dataSync()[0] as number, (correct.dataSync()[0] as number) / (x.shape[0] as number)];
  });
  for (const t of [...xs, ...ys, ...Object.values(params)]) t.dispose();
  for (const s of running.values()) {
    s.mean.dispose();
    s.scale.dispose();
  }
  return { loss, accuracy };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the test evaluation at step 0', () => {
  it('logs the initial weights on the test set at step 0, as a forward pass over it computes', async () => {
    const input = vgg(2);
    const rec = await run(input);
    expect(series(rec.points, 'test/loss').map(([s]) => s)).toEqual([0, 2, 4]);
    expect(series(rec.points, 'test/accuracy').map(([s]) => s)).toEqual([0, 2, 4]);
    const expected = initialEvaluation(experimentSchema.parse(input));
    const [, loss0] = series(rec.points, 'test/loss')[0] as [number, number];
    const [, acc0] = series(rec.points, 'test/accuracy')[0] as [number, number];
    expect(loss0).toBeCloseTo(expected.loss, 4);
    expect(acc0).toBeCloseTo(expected.accuracy, 9);
    // Nothing else is logged at step 0: training's points start at step 1.
    expect(rec.points.filter((p) => p.step === 0).map((p) => p.series)).toEqual([
      'test/loss',
      'test/accuracy',
    ]);
  });

  it('leaves the training trajectory bit-identical to a run without test metrics', async () => {
    const [withTest, without] = [await run(vgg(2)), await run(vgg(0))];
    expect(series(without.points, 'test/loss')).toEqual([]);
    expect(series(withTest.points, 'train/loss')).toEqual(series(without.points, 'train/loss'));
    expect(series(withTest.points, 'train/accuracy')).toEqual(series(without.points, 'train/accuracy'));
    // Weights, momentum and BatchNorm running estimates end identical.
    expect(Buffer.from(withTest.checkpoints.get(4) as Uint8Array)).toEqual(
      Buffer.from(without.checkpoints.get(4) as Uint8Array),
    );
  });

  it('is not repeated by a run resumed from a later checkpoint', async () => {
    const full = await run(vgg(2));
    const resumed = await run(vgg(2), { resumeFrom: full.checkpoints.get(2) as Uint8Array });
    expect(series(resumed.points, 'test/loss')).toEqual(
      series(full.points, 'test/loss').filter(([s]) => s > 2),
    );
  });

  it('is not repeated by a run paused before step 1 and resumed from its step-0 checkpoint', async () => {
    const paused = await run(vgg(2), { control: () => 'pause', afterPause: 'stop' });
    expect(paused.result).toEqual({ outcome: 'stopped', step: 0 });
    expect(series(paused.points, 'test/loss').map(([s]) => s)).toEqual([0]);
    const resumed = await run(vgg(2), { resumeFrom: paused.checkpoints.get(0) as Uint8Array });
    expect(series(resumed.points, 'test/loss').map(([s]) => s)).toEqual([2, 4]);
  });
});
