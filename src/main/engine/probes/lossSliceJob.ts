/**
 * A loss-slice job (shared/slices.ts): at the weights w of a run's checkpoint, L(w + alpha d1
 * (+ beta d2)) over the grid, along filter-normalized random directions (lossSlices.ts), where L is
 * the mean training loss over the run's own minibatches 1..B with batch statistics (BN in train mode,
 * as every probe; step k's Algorithm 1 noise for minibatch k). Points are handed to `done` one by one
 * and points already stored are skipped, so a stopped job resumes where it left off.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../shared/config';
import { sliceAxis, type SliceSettings } from '../../../shared/slices';
import { buildNetwork } from '../models/network';
import { disposeStats } from '../models/runningStats';
import type { ParamMap } from '../models/networkTypes';
import { makeAlgorithm1Noise } from '../norms/noisyBatchNorm';
import { deriveSeed } from '../rng/seeds';
import type { Task } from '../tasks/task';
import { TrainingState } from '../training/trainingState';
import { evaluateSlice, filterNormalizedDirection } from './lossSlices';

export interface LossSliceJob {
  config: ExperimentConfig;
  task: Task;
  /** The checkpoint holding w. */
  checkpoint: Uint8Array;
  settings: SliceSettings;
}

/** 'stopped' when `stop()` said so after a point: the points so far are kept, the rest left to a resume. */
export type SliceOutcome = 'completed' | 'stopped';

export async function runLossSlice(
  job: LossSliceJob,
  done: (i: number, j: number, loss: number) => void | Promise<void>,
  skip: (i: number, j: number) => boolean,
  stop: () => boolean,
): Promise<SliceOutcome> {
  const { config, task, settings } = job;
  const net = buildNetwork(config.model, { inputShape: [...task.inputShape], outputSize: task.outputSize });
  const state = TrainingState.fromCheckpoint(net, config, job.checkpoint);
  const params: ParamMap = state.params;
  const d1 = filterNormalizedDirection(net, params, settings.seeds[0]);
  const d2 = settings.dims === 2 ? filterNormalizedDirection(net, params, settings.seeds[1]) : undefined;
  const batches = Array.from({ length: settings.batches }, (_, k) => task.trainBatch(k + 1));
  const lossAt = async (w: ParamMap): Promise<number> => {
    const total = tf.tidy(() =>
      tf.addN(
        batches.map((b, k) => {
          const noise =
            config.model.normalization === 'noisy-batch'
              ? makeAlgorithm1Noise(config.model.noisy, deriveSeed(config.seed, 'noise', k + 1))
              : undefined;
          const r = net.forward(w, b.x, { training: true, ...(noise ? { noise } : {}) });
          disposeStats(r.batchStats);
          return task.loss(r.output, b.y);
        }),
      ),
    );
    const value = (await total.data())[0] as number;
    total.dispose();
    return value / batches.length;
  };
  const axis = sliceAxis(settings);
  let stopped = false;
  try {
    await evaluateSlice(
      lossAt,
      params,
      d1,
      d2,
      { alphas: axis, ...(d2 ? { betas: axis } : {}) },
      async (i, j, loss) => {
        await done(i, j, loss);
        if (stop()) {
          stopped = true;
          throw STOP;
        }
      },
      skip,
    );
  } catch (e) {
    if (e !== STOP) throw e;
  } finally {
    tf.dispose([...Object.values(d1), ...Object.values(d2 ?? {})]);
    for (const b of batches) tf.dispose([b.x, b.y]);
    state.dispose();
  }
  return stopped ? 'stopped' : 'completed';
}

const STOP = Symbol('stop the slice');
