/**
 * The VGG family of PAPER.md section 1: 3x3 'same' convolutions (M = 2x2 max-pool), then one linear
 * output layer on the flattened NHWC features. A width multiplier scales every conv width
 * (vgg16 at 0.25: 16 ... 128 and Linear(128 -> 10)).
 */
import { UserError } from '../../../shared/errors';
import type { Architecture, ConvLayer, TaskShape } from './layerPlan';

export const VGG_WIDTHS = {
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  'vgg-mini': [64, 'M', 128, 'M', 256, 'M', 512, 'M'],
  'vgg-tiny': [16, 'M', 32, 'M', 64, 'M'],
} as const satisfies Record<string, readonly (number | 'M')[]>;

export type VggName = keyof typeof VGG_WIDTHS;

/** A conv width under the multiplier: round(width * multiplier), at least 1. */
export function scaledWidth(width: number, multiplier: number): number {
  return Math.max(1, Math.round(width * multiplier));
}

export function vggArchitecture(name: VggName, multiplier: number, task: TaskShape): Architecture {
  const [height, width, channels] = task.inputShape;
  if (task.inputShape.length !== 3 || !height || !width || !channels) {
    throw new UserError(
      'config',
      `${name} needs image inputs [height, width, channels], got [${task.inputShape.join(', ')}]; ` +
        'use dln25 or mlp for the dln-synthetic task',
    );
  }
  const hidden: ConvLayer[] = [];
  let h = height;
  let w = width;
  let c = channels;
  for (const item of VGG_WIDTHS[name]) {
    if (item === 'M') {
      const last = hidden[hidden.length - 1];
      if (!last) throw new Error('vgg plan starts with a pool');
      last.pool = true;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
      if (h < 1 || w < 1) {
        throw new UserError(
          'config',
          `${name} pools ${height}x${width} images down to nothing; use 32x32 inputs`,
        );
      }
      continue;
    }
    const units = scaledWidth(item, multiplier);
    hidden.push({
      kind: 'conv',
      index: hidden.length + 1,
      inUnits: c,
      units,
      inHeight: h,
      inWidth: w,
      pool: false,
      bias: true,
      relu: true,
    });
    c = units;
  }
  return {
    hidden,
    output: { index: hidden.length + 1, inFeatures: h * w * c, units: task.outputSize, bias: true },
    flattenInput: false,
  };
}
