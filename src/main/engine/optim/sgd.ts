/** Plain stochastic gradient descent (the paper's VGG protocol): w <- w - lr * g. No state. */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../../shared/config';
import type { ParamMap } from '../models/networkTypes';
import { gradientOf, type NamedTensor, type Optimizer, type VariableMap } from './optimizer';
import { unknownState } from './slots';

export function sgd(config: OptimizerConfig): Optimizer {
  return {
    config,
    step(params: VariableMap, grads: ParamMap): void {
      for (const [name, w] of Object.entries(params)) {
        tf.tidy(() => w.assign(tf.sub(w, tf.mul(gradientOf(grads, name), config.lr))));
      }
    },
    getState: () => [],
    setState(state: readonly NamedTensor[]): void {
      if (state.length > 0) throw unknownState('sgd', state);
    },
    dispose(): void {},
  };
}
