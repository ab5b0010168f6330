/**
 * Which layer plan (layerPlan.ts) each network of PAPER.md section 1 has, with the hidden layers'
 * biases dropped where a normalization follows them and model.biasBeforeNorm is off.
 */
import type { ModelConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { dln25Architecture } from './dln25';
import { mlpArchitecture } from './mlp';
import type { Architecture, TaskShape } from './layerPlan';
import { vggArchitecture } from './vgg';

export function architectureFor(config: ModelConfig, task: TaskShape): Architecture {
  const plan = networkPlan(config, task);
  // Absent (a config built before the option existed) means on: the parameter set of those runs.
  if (config.normalization === 'none' || config.biasBeforeNorm !== false) return plan;
  return { ...plan, hidden: plan.hidden.map((l) => ({ ...l, bias: false })) };
}

function networkPlan(config: ModelConfig, task: TaskShape): Architecture {
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
