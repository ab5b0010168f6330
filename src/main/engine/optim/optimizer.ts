/**
 * The optimizer contract. Optimizers are NormLab's own (not tf.train's): their state is a list of
 * named tensors keyed by parameter name (never by tf.Variable name, which differs between runs), so a
 * checkpoint restores it exactly and a resumed run continues the uninterrupted trajectory bit for bit.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../../shared/config';
import type { ParamMap } from '../models/networkTypes';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** The trainable weights, updated in place. */
export type VariableMap = Readonly<Record<string, tf.Variable>>;

export interface Optimizer {
  readonly config: OptimizerConfig;
  /** One update w <- w - update(g) of every parameter in `params`; `grads` holds dL/dw by name. */
  step(params: VariableMap, grads: ParamMap): void;
  /** Copies of the state tensors (the caller disposes them); empty before the first step. */
  getState(): NamedTensor[];
  /** Replaces the state with copies of `state` (as getState returned it). */
  setState(state: readonly NamedTensor[]): void;
  dispose(): void;
}

export function gradientOf(grads: ParamMap, name: string): tf.Tensor {
  const g = grads[name];
  if (!g) throw new Error(`optimizer: no gradient for parameter ${name}`);
  return g;
}
