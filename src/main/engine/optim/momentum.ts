/**
 * SGD with momentum mu, in PyTorch's form (the throughput benchmark compares against PyTorch):
 *
 *   v <- mu v + g                     (v_0 = 0)
 *   w <- w - lr v                     (heavy ball)
 *   w <- w - lr (g + mu v)            (Nesterov)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../../shared/config';
import type { ParamMap } from '../models/networkTypes';
import { gradientOf, type NamedTensor, type Optimizer, type VariableMap } from './optimizer';
import { Slots, unknownState } from './slots';

export function momentum(config: OptimizerConfig): Optimizer {
  const slots = new Slots(['velocity']);
  const mu = config.momentum;
  return {
    config,
    step(params: VariableMap, grads: ParamMap): void {
      for (const [name, w] of Object.entries(params)) {
        const v = tf.tidy(() => {
          const g = gradientOf(grads, name);
          const old = slots.check(name, 'velocity', w.shape);
          const next = old ? tf.add(tf.mul(old, mu), g) : tf.clone(g);
          const direction = config.nesterov ? tf.add(g, tf.mul(next, mu)) : next;
          w.assign(tf.sub(w, tf.mul(direction, config.lr)));
          return next;
        });
        slots.set(name, 'velocity', v);
      }
    },
    getState: () => slots.entries(),
    setState(state: readonly NamedTensor[]): void {
      const rest = slots.load(state);
      if (rest.length > 0) throw unknownState('momentum', rest);
    },
    dispose: () => slots.clear(),
  };
}
