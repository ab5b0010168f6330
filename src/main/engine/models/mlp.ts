/**
 * A fully connected network: the input flattened, hidden linear layers of the configured widths with
 * ReLU (each one normalizable), then a linear output layer.
 */
import { UserError } from '../../../shared/errors';
import type { Architecture, DenseLayer, TaskShape } from './layerPlan';

export function mlpArchitecture(widths: readonly number[], task: TaskShape): Architecture {
  const features = task.inputShape.reduce((a, b) => a * b, 1);
  if (task.inputShape.length === 0 || !(features > 0)) {
    throw new UserError('config', `mlp needs a non-empty input shape, got [${task.inputShape.join(', ')}]`);
  }
  const hidden: DenseLayer[] = [];
  let inUnits = features;
  for (const units of widths) {
    if (!Number.isInteger(units) || units < 1) {
      throw new UserError('config', `model.hidden must list positive integer widths, got ${units}`);
    }
    hidden.push({ kind: 'dense', index: hidden.length + 1, inUnits, units, bias: true, relu: true });
    inUnits = units;
  }
  return {
    hidden,
    output: { index: hidden.length + 1, inFeatures: inUnits, units: task.outputSize, bias: true },
    flattenInput: true,
  };
}
