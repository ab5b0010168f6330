/**
 * The deep linear network of PAPER.md section 1: 25 square 10x10 linear maps, no bias, no
 * non-linearity. Maps 1..24 are the normalizable layers; map 25 is the output layer, so a normalized
 * DLN computes W_25 Norm_24(W_24 ... Norm_1(W_1 x)).
 */
import { UserError } from '../../../shared/errors';
import type { Architecture, DenseLayer, TaskShape } from './layerPlan';

export const DLN_DEPTH = 25;
export const DLN_DIM = 10;

export function dln25Architecture(task: TaskShape): Architecture {
  if (task.inputShape.length !== 1 || task.inputShape[0] !== DLN_DIM || task.outputSize !== DLN_DIM) {
    throw new UserError(
      'config',
      `dln25 maps R^${DLN_DIM} to R^${DLN_DIM}, but the task has inputs [${task.inputShape.join(', ')}] and ` +
        `${task.outputSize} outputs; use data.dataset=dln-synthetic with data.dim=${DLN_DIM}`,
    );
  }
  const hidden: DenseLayer[] = [];
  for (let i = 1; i < DLN_DEPTH; i++) {
    hidden.push({ kind: 'dense', index: i, inUnits: DLN_DIM, units: DLN_DIM, bias: false, relu: false });
  }
  return {
    hidden,
    output: { index: DLN_DEPTH, inFeatures: DLN_DIM, units: DLN_DIM, bias: false },
    flattenInput: true,
  };
}
