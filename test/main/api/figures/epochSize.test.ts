import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { epochSize } from '../../../../src/main/api/figures/epochSize';
import { seriesLines } from '../../../../src/main/api/figures/seriesLines';
import { openStore, type Store } from '../../../../src/main/store';
import { at, must } from '../../../helpers/defined';
import { tempDirs } from '../../../helpers/tempDirs';
import { contextOf, pointsOf, writeRun } from './compareFixture';

const dirs = tempDirs('epoch-size');
afterAll(() => dirs.cleanup());

/** Bytes of one CIFAR-10 record: a label byte and 3 x 32 x 32 pixels. */
const RECORD = 1 + 3 * 32 * 32;

let store: Store;
let cifarDir: string;
beforeEach(() => {
  const dir = dirs.make();
  store = openStore(join(dir, 'runs.sqlite'));
  cifarDir = join(dir, 'cifar-10-batches-bin');
  mkdirSync(cifarDir);
  // 30 + 20 training images, and files that are not training files.
  writeFileSync(join(cifarDir, 'data_batch_1.bin'), new Uint8Array(30 * RECORD));
  writeFileSync(join(cifarDir, 'data_batch_2.bin'), new Uint8Array(20 * RECORD));
  writeFileSync(join(cifarDir, 'test_batch.bin'), new Uint8Array(7 * RECORD));
  writeFileSync(join(cifarDir, 'batches.meta.txt'), 'airplane\n');
});
afterEach(() => store.close());

function cifarRun(data: Record<string, unknown>, batchSize = 10): string {
  return writeRun(store, {
    config: {
      model: { network: 'vgg-tiny' },
      data: { dataset: 'cifar10', ...data },
      schedule: { steps: 100, batchSize },
    },
    series: { 'train/loss': pointsOf(0, 50, (s) => 1 / (1 + s), 5) },
  });
}

const sizeOf = (id: string): ReturnType<typeof epochSize> => epochSize(must(store.getRun(id)));

describe('epochSize', () => {
  it('counts the images of the training files in the run folder', () => {
    expect(sizeOf(cifarRun({ dir: cifarDir }))).toEqual({ batchSize: 10, trainSize: 50 });
    expect(sizeOf(cifarRun({ dir: cifarDir, trainFiles: ['data_batch_2.bin'] }))).toEqual({
      batchSize: 10,
      trainSize: 20,
    });
  });

  it('takes trainLimit when set, capped by the images there are', () => {
    expect(sizeOf(cifarRun({ dir: cifarDir, trainLimit: 40 }))).toEqual({ batchSize: 10, trainSize: 40 });
    expect(sizeOf(cifarRun({ dir: cifarDir, trainLimit: 400 }))).toEqual({ batchSize: 10, trainSize: 50 });
    expect(sizeOf(cifarRun({ dir: join(cifarDir, 'gone'), trainLimit: 400 }))).toEqual({
      batchSize: 10,
      trainSize: 400,
    });
  });

  it('assumes 10,000 images per training file when the folder is gone, and says so', () => {
    const gone = join(cifarDir, 'gone');
    const all = cifarRun({ dir: gone });
    expect(sizeOf(all)).toMatchObject({ batchSize: 10, trainSize: 50_000 });
    expect(sizeOf(all)?.note).toContain(`epochs of run ${all} assume 50,000 training images`);
    expect(sizeOf(all)?.note).toContain(gone);
    expect(
      sizeOf(cifarRun({ dir: gone, trainFiles: ['data_batch_1.bin', 'data_batch_3.bin'] })),
    ).toMatchObject({
      trainSize: 20_000,
    });
  });

  it('is the sample count of the DLN task', () => {
    const id = writeRun(store, {
      config: { data: { dataset: 'dln-synthetic', samples: 250 }, schedule: { steps: 10, batchSize: 250 } },
      series: {},
    });
    expect(sizeOf(id)).toEqual({ batchSize: 250, trainSize: 250 });
  });
});

describe('seriesLines in epochs of CIFAR-10 runs', () => {
  it('plots step * batch size / training images, with the assumption in the notes', () => {
    const counted = cifarRun({ dir: cifarDir });
    const assumed = cifarRun({ dir: join(cifarDir, 'gone') }, 1000);
    const result = seriesLines(
      contextOf(store),
      [
        { key: 'a', label: 'a', color: 0, runIds: [counted] },
        { key: 'b', label: 'b', color: 1, runIds: [assumed] },
      ],
      'train/loss',
      { x: 'epoch', widthPx: 100, band: 'minmax', smoothing: 0 },
    );
    const [a, b] = [at(result.lines, 0), at(result.lines, 1)];
    expect(a.x).toEqual(a.steps.map((s) => (s * 10) / 50));
    expect(b.x).toEqual(b.steps.map((s) => (s * 1000) / 50_000));
    expect(result.notes.some((n) => n.startsWith(`epochs of run ${assumed} assume 50,000`))).toBe(true);
    expect(result.notes.some((n) => n.includes(counted))).toBe(false);
  });
});
