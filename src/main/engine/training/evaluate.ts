/**
 * Test-set evaluation in eval mode: normalization layers use their running estimates, no noise.
 * Returns the mean per-example loss and the accuracy over the whole test set.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../models/networkTypes';
import type { Task } from '../tasks/task';
import type { TrainingState } from './trainingState';

export interface Evaluation {
  loss: number;
  accuracy: number | null;
  examples: number;
}

export async function evaluate(net: Network, state: TrainingState, task: Task): Promise<Evaluation> {
  let lossSum = 0;
  let correct = 0;
  let examples = 0;
  for (const batch of task.testBatches()) {
    const sums = tf.tidy(() => {
      const { output } = net.forward(state.params, batch.x, { training: false, running: state.runningStats });
      const parts = [task.lossSum(output, batch.y)];
      if (task.correct) parts.push(task.correct(output, batch.y));
      return tf.stack(parts);
    });
    const values = await sums.data();
    sums.dispose();
    examples += batch.x.shape[0] as number;
    batch.x.dispose();
    batch.y.dispose();
    lossSum += values[0] as number;
    correct += values[1] ?? 0;
  }
  return {
    loss: examples > 0 ? lossSum / examples : NaN,
    accuracy: task.correct && examples > 0 ? correct / examples : null,
    examples,
  };
}
