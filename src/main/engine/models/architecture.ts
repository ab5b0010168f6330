/**
 * The layer plan of a network (PAPER.md section 1): its normalizable hidden layers in forward order,
 * numbered from 1, and the output layer numLayers + 1 (never normalized).
 */
import type { ModelConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { dln25Architecture } from './dln25';
import { mlpArchitecture } from './mlp';
import { vggArchitecture } from './vgg';

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
  bias: true;
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

export function architectureFor(config: ModelConfig, task: TaskShape): Architecture {
  if (!Number.isInteger(task.outputSize) || task.outputSize < 1) {
    throw new Error(`architectureFor: bad output size ${task.outputSize}`);
  }
  switch (config.network) {
    case 'vgg16':
    case 'vgg-mini':
    case 'vgg-tiny':
      return vggArchitecture(config.network, config.widthMultiplier, task);
    case 'dln25':
      return dln25Architecture(task);
    case 'mlp':
      return mlpArchitecture(config.hidden, task);
    default:
      throw new UserError(
        'config',
        `unknown network "${String(config.network)}"; pick one of vgg16, vgg-mini, vgg-tiny, dln25, mlp`,
      );
  }
}
