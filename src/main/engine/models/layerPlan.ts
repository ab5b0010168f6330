/**
 * The layer plan of a network (PAPER.md section 1): its normalizable hidden layers in forward order,
 * numbered from 1, and the output layer numLayers + 1 (never normalized). architecture.ts draws the
 * plan of each network (vgg.ts, dln25.ts, mlp.ts); network.ts and params.ts read it.
 */

export interface ConvLayer {
  kind: 'conv';
  index: number;
  inUnits: number;
  /** Output channels. */
  units: number;
  inHeight: number;
  inWidth: number;
  /** 2x2 max-pool, stride 2, after the ReLU. */
  pool: boolean;
  /** Off only under a normalization with model.biasBeforeNorm = false (architecture.ts). */
  bias: boolean;
  relu: true;
}

export interface DenseLayer {
  kind: 'dense';
  index: number;
  inUnits: number;
  units: number;
  bias: boolean;
  relu: boolean;
}

export type HiddenLayer = ConvLayer | DenseLayer;

export interface OutputLayer {
  index: number;
  inFeatures: number;
  units: number;
  bias: boolean;
}

export interface Architecture {
  hidden: HiddenLayer[];
  output: OutputLayer;
  /** Reshape the input to [N, features] before the first layer (dense-first networks). */
  flattenInput: boolean;
}

export interface TaskShape {
  inputShape: readonly number[];
  outputSize: number;
}
