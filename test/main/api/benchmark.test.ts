import { describe, expect, it } from 'vitest';
import { cpuScalePresets, presetBenchSpec } from '../../../src/main/api/benchmark';
import { UserError } from '../../../src/shared/errors';

describe('cpuScalePresets', () => {
  it('lists the presets named *-cpu, the CPU-scale VGG16 pair today', () => {
    expect(cpuScalePresets()).toEqual(['vgg16-plain-cpu', 'vgg16-bn-cpu']);
  });
});

describe('presetBenchSpec', () => {
  it("measures the preset's model at its batch size", () => {
    expect(presetBenchSpec('vgg16-bn-cpu', 2, 5)).toEqual({
      preset: 'vgg16-bn-cpu',
      network: 'vgg16',
      normalization: 'batch',
      widthMultiplier: 0.25,
      batchSize: 128,
      warmupSteps: 2,
      timedSteps: 5,
    });
    expect(presetBenchSpec('vgg16-plain-cpu', 2, 5)).toMatchObject({
      normalization: 'none',
      widthMultiplier: 0.25,
    });
  });

  it('refuses an unknown preset and one that is not on CIFAR-10, as usage errors', () => {
    expect(() => presetBenchSpec('vgg16-nope', 2, 5)).toThrow(UserError);
    expect(() => presetBenchSpec('vgg16-nope', 2, 5)).toThrow('unknown preset "vgg16-nope"');
    expect(() => presetBenchSpec('dln25-bn', 2, 5)).toThrow(
      'dln25-bn is not a CIFAR-10 preset; the training benchmark feeds 32x32x3 images',
    );
  });
});
