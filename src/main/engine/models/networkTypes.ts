/**
 * What a network is to the rest of the engine (built by network.ts): its parameters, the options and
 * result of its forward pass, and the Network interface. Types only, in their own module so that
 * params.ts, runningStats.ts and the norms can name them without importing network.ts back.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../../../shared/config';
import type { NoiseSource } from '../norms/noisyBatchNorm';
import type { NormStats, RunningStats } from '../norms/normStats';

/** name -> tensor (a tf.Variable during training). */
export type ParamMap = Record<string, tf.Tensor>;

export interface ParamSpec {
  name: string;
  shape: number[];
  init: 'glorot-uniform' | 'zeros' | 'ones';
  /** 1-based normalizable-layer index; the output layer gets numLayers + 1. */
  layer: number;
  role: 'weight' | 'bias' | 'gamma' | 'beta';
}

/**
 * The piecewise-linear choices of one forward pass: per layer, the ReLU mask 1[a > 0] and, where a
 * 2x2 max-pool follows, the one-hot position of each window's maximum ([N, H/2, W/2, C, 4], window
 * order (0,0), (0,1), (1,0), (1,1); the first maximum on ties).
 */
export interface Gates {
  relu: Map<number, tf.Tensor>;
  pool: Map<number, tf.Tensor>;
}

export interface ForwardOptions {
  /** Batch statistics (true) or running estimates (false). */
  training: boolean;
  /** Needed when !training and the net is normalized. */
  running?: RunningStats;
  /** Algorithm 1 noise; required in training mode by `noisy-batch`, ignored otherwise. */
  noise?: NoiseSource;
  /**
   * Called with each hidden layer's pre-activation a_i (after norm and noise, before ReLU). The tensor
   * is released when forward returns: read it or tf.keep / clone it inside the callback.
   */
  capture?: (layer: number, preActivation: tf.Tensor) => void;
  /**
   * Tensors added at two points of a layer, so that dL/d(offset) is the gradient of the loss at that
   * point (the probes differentiate with respect to zero offsets): `linear` at y_i = W_i h + b_i (the
   * normalization's input), `normalized` at z_i = Norm_i(y_i) (its output, after gamma/beta and before
   * Algorithm 1's noise). Shapes as layerOutputShape.
   */
  offsets?: {
    linear?: ReadonlyMap<number, tf.Tensor>;
    normalized?: ReadonlyMap<number, tf.Tensor>;
  };
  /**
   * `record`: store this pass's ReLU masks and max-pool choices there (tf.keep'ed; the caller
   * disposes them). `replay`: use recorded ones instead of deciding anew, relu(a) = a 1[a_w > 0] and
   * maxPool(a) = a at the recorded positions: the network is then linear in the activations around
   * w, so finite differences of its gradient give the a.e. Hessian autograd would (ReLU'' = 0)
   * instead of the jumps of switches crossed (probes/hessianVectorProduct.ts).
   */
  gates?: { record?: Gates; replay?: Gates };
}

export interface ForwardResult {
  output: tf.Tensor2D;
  /**
   * Training mode: the batch statistics of every normalized layer (biased variance / N_p, the ones the
   * forward pass used). These tensors are tf.keep'ed and belong to the caller (see disposeStats).
   */
  batchStats: Map<number, NormStats>;
}

export interface Network {
  readonly config: ModelConfig;
  readonly params: readonly ParamSpec[];
  /** Normalizable layers (vgg16: 13 conv; dln25: 24; mlp: hidden.length). */
  readonly numLayers: number;
  /** Without the batch dimension, e.g. [32, 32, 3] or [10]. */
  readonly inputShape: readonly number[];
  readonly outputSize: number;
  /** Units (channels for conv) of each normalizable layer, index 0 = layer 1. */
  readonly layerWidths: readonly number[];
  forward(params: ParamMap, x: tf.Tensor, opts: ForwardOptions): ForwardResult;
  /** Shape of layer i's pre-activation for a batch: [N, H, W, C] for conv, [N, units] for linear. */
  layerOutputShape(layer: number, batch: number): number[];
  /** 2 x the multiply-adds of the conv and linear maps of one example's forward pass. */
  flopsPerExample(): number;
}
