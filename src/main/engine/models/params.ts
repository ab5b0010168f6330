/**
 * Parameters of a network and their initialization (PAPER.md section 1): Glorot (Xavier) uniform
 * weights, W ~ U(-r, r) with r = sqrt(6 / (fan_in + fan_out)) (conv: fan = 3*3*channels), zero biases,
 * and normalization gamma = 1, beta = 0. Conv and hidden linear layers keep their bias under every
 * normalization by default (choice, as PyTorch's VGG-BN; batch norm cancels it, but the lp norms do
 * not, since N_p is taken over the uncentred y); model.biasBeforeNorm = false drops those biases
 * (architecture.ts). dln25 has no biases at all.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../rng/seeds';
import type { Architecture } from './layerPlan';
import type { Network, ParamMap, ParamSpec } from './networkTypes';

/** The parameter list in forward order: per layer weight, bias, gamma, beta; then the output layer. */
export function paramSpecs(arch: Architecture, normalized: boolean): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (const l of arch.hidden) {
    const i = l.index;
    const shape = l.kind === 'conv' ? [3, 3, l.inUnits, l.units] : [l.inUnits, l.units];
    specs.push({ name: `layer${i}.weight`, shape, init: 'glorot-uniform', layer: i, role: 'weight' });
    if (l.bias)
      specs.push({ name: `layer${i}.bias`, shape: [l.units], init: 'zeros', layer: i, role: 'bias' });
    if (normalized) {
      specs.push({ name: `layer${i}.gamma`, shape: [l.units], init: 'ones', layer: i, role: 'gamma' });
      specs.push({ name: `layer${i}.beta`, shape: [l.units], init: 'zeros', layer: i, role: 'beta' });
    }
  }
  const o = arch.output;
  specs.push({
    name: `layer${o.index}.weight`,
    shape: [o.inFeatures, o.units],
    init: 'glorot-uniform',
    layer: o.index,
    role: 'weight',
  });
  if (o.bias)
    specs.push({
      name: `layer${o.index}.bias`,
      shape: [o.units],
      init: 'zeros',
      layer: o.index,
      role: 'bias',
    });
  return specs;
}

/** r = sqrt(6 / (fan_in + fan_out)) for a [in, out] matrix or a [kh, kw, in, out] conv filter. */
export function glorotBound(shape: readonly number[]): number {
  let fanIn: number;
  let fanOut: number;
  if (shape.length === 2) {
    fanIn = shape[0] as number;
    fanOut = shape[1] as number;
  } else if (shape.length === 4) {
    const field = (shape[0] as number) * (shape[1] as number);
    fanIn = field * (shape[2] as number);
    fanOut = field * (shape[3] as number);
  } else {
    throw new Error(`glorotBound: expected a rank-2 or rank-4 weight, got shape [${shape.join(', ')}]`);
  }
  return Math.sqrt(6 / (fanIn + fanOut));
}

/**
 * Fresh parameters, deterministic per (seed, parameter name): weight `name` is drawn from the stream
 * deriveSeed(seed, 'init', name), so adding a layer never changes the others' values. Returns plain
 * tensors owned by the caller; the trainer wraps them in tf.variable (with names unique to the run).
 */
export function initParams(net: Network, seed: number): ParamMap {
  const params: ParamMap = {};
  for (const spec of net.params) {
    if (spec.init === 'glorot-uniform') {
      const r = glorotBound(spec.shape);
      params[spec.name] = tf.randomUniform(spec.shape, -r, r, 'float32', deriveSeed(seed, 'init', spec.name));
    } else {
      params[spec.name] = spec.init === 'ones' ? tf.ones(spec.shape) : tf.zeros(spec.shape);
    }
  }
  return params;
}
