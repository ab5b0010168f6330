/**
 * Adam (Kingma & Ba 2015), with t the step count (1-based):
 *
 *   m <- beta1 m + (1 - beta1) g,        v <- beta2 v + (1 - beta2) g^2       (m_0 = v_0 = 0)
 *   w <- w - lr * m_hat / (sqrt(v_hat) + epsilon),   m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
 *
 * State: the moments per parameter and the step count t (an int32 scalar named `step`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../../shared/config';
import type { ParamMap } from '../models/networkTypes';
import { gradientOf, type NamedTensor, type Optimizer, type VariableMap } from './optimizer';
import { Slots, unknownState } from './slots';

const STEP = 'step';

export function adam(config: OptimizerConfig): Optimizer {
  const slots = new Slots(['m', 'v']);
  const { lr, beta1, beta2, epsilon } = config;
  let t = 0;
  return {
    config,
    step(params: VariableMap, grads: ParamMap): void {
      t += 1;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (const [name, w] of Object.entries(params)) {
        const { m, v } = tf.tidy(() => {
          const g = gradientOf(grads, name);
          const m0 = slots.check(name, 'm', w.shape);
          const v0 = slots.check(name, 'v', w.shape);
          const m = m0 ? tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1)) : tf.mul(g, 1 - beta1);
          const v = v0
            ? tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2))
            : tf.mul(tf.square(g), 1 - beta2);
          const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon));
          w.assign(tf.sub(w, tf.mul(update, lr)));
          return { m, v };
        });
        slots.set(name, 'm', m);
        slots.set(name, 'v', v);
      }
    },
    getState(): NamedTensor[] {
      return t === 0 ? [] : [{ name: STEP, tensor: tf.scalar(t, 'int32') }, ...slots.entries()];
    },
    setState(state: readonly NamedTensor[]): void {
      const rest = slots.load(state);
      const step = rest.find((e) => e.name === STEP);
      const unknown = rest.filter((e) => e !== step);
      if (unknown.length > 0) throw unknownState('adam', unknown);
      t = step ? (step.tensor.dataSync()[0] as number) : 0;
    },
    dispose: () => slots.clear(),
  };
}
