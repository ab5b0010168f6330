import { describe, expect, it } from 'vitest';
import { benchMain, parseBenchOptions, trainingRequest } from '../../../../src/main/hosts/cli/bench';

// Everything else off: a mistyped per-op option must fail before anything is measured.
const OFF = ['--no-training', '--no-app', '--no-store', '--no-export'];

describe('benchMain per-op options', () => {
  it('rejects an unknown shape set, naming the known ones', async () => {
    await expect(benchMain([...OFF, '--op-shapes', 'vgg-mini,resnet'])).rejects.toThrow(
      '--op-shapes: unknown shape set "resnet"; choose from vgg-mini, vgg16-quarter, vgg16',
    );
  });

  it('rejects thread counts wasm cannot run, and "auto"', async () => {
    await expect(benchMain([...OFF, '--op-threads', '1,9'])).rejects.toThrow(
      /--op-threads must be a whole number of threads from 1 to 8/,
    );
    await expect(benchMain([...OFF, '--op-threads', 'auto'])).rejects.toThrow(
      '--op-threads takes thread counts, not "auto"',
    );
  });

  it('rejects a repetition count that is not a positive whole number', async () => {
    await expect(benchMain([...OFF, '--op-reps', '0'])).rejects.toThrow(
      '--op-reps takes a positive whole number, not "0"',
    );
  });
});

describe('the CPU-scale presets in the training request', () => {
  it('measures vgg16-plain-cpu and vgg16-bn-cpu by default, next to vgg-mini', () => {
    const req = trainingRequest(parseBenchOptions(['--wasm-threads', '2,1']), ['wasm']);
    expect(req.presets).toEqual(['vgg16-plain-cpu', 'vgg16-bn-cpu']);
    expect(req).toMatchObject({
      backends: ['wasm'],
      normalizations: ['none', 'batch'],
      batchSize: 128,
      wasmThreads: [2, 1],
    });
  });

  it('leaves them out with --no-presets, and only them', () => {
    const opts = parseBenchOptions(['--no-presets']);
    const req = trainingRequest(opts, undefined);
    expect(req).not.toHaveProperty('presets');
    const withPresets = trainingRequest(parseBenchOptions([]), undefined);
    delete withPresets.presets;
    expect(req).toEqual(withPresets);
  });
});
