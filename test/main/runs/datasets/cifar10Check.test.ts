import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCifar10Folder } from '../../../../src/main/runs/datasets/cifar10Check';
import { brokenCifar10Folders, writeCifar10Folder } from '../../../helpers/cifar10Folders';
import { SHARED_CIFAR10 } from '../../../helpers/repoPaths';
import { tempDirs } from '../../../helpers/tempDirs';
import { userErrorOf } from '../../../helpers/userError';

const dirs = tempDirs('cifar10-check');
afterAll(() => dirs.cleanup());

describe('checkCifar10Folder', () => {
  it('counts the images of a whole folder, and of the real one', () => {
    const dir = writeCifar10Folder(join(dirs.make(), 'ok'));
    expect(checkCifar10Folder(dir)).toEqual({
      dir,
      trainFiles: ['data_batch_1.bin'],
      trainImages: 6,
      testImages: 4,
    });
    const real = checkCifar10Folder(SHARED_CIFAR10);
    expect(real.trainImages).toBeGreaterThan(0);
    expect(real.testImages).toBeGreaterThan(0);
  });

  it.each(Object.entries(brokenCifar10Folders(dirs.make())))(
    'refuses a folder with %s, saying what to do',
    (_, { dir, error }) => {
      const e = userErrorOf(() => checkCifar10Folder(dir));
      expect(e.code).toMatch(/^data-(missing|malformed)$/);
      expect(e.message).toMatch(error);
      expect(e.message).toMatch(/normlab data get cifar10|Download it again/);
    },
  );

  it('reads only the labels a run reads: a bad label past the limit is not its problem', () => {
    const dir = writeCifar10Folder(join(dirs.make(), 'late-bad'), [0, 1, 2, 77]);
    expect(checkCifar10Folder(dir, { trainLimit: 3 }).trainImages).toBe(4);
    expect(userErrorOf(() => checkCifar10Folder(dir, { trainLimit: 4 })).message).toMatch(
      /record 3 has label byte 77/,
    );
  });

  it('checks the files a config names, and batches.meta.txt', () => {
    const dir = writeCifar10Folder(join(dirs.make(), 'named'));
    expect(userErrorOf(() => checkCifar10Folder(dir, { trainFiles: ['data_batch_2.bin'] })).message).toMatch(
      /data_batch_2\.bin does not exist/,
    );
    expect(userErrorOf(() => checkCifar10Folder(join(dir, 'data_batch_1.bin'))).message).toMatch(
      /is a file, not a folder/,
    );
    writeFileSync(join(dir, 'batches.meta.txt'), 'cat\ndog\n');
    expect(userErrorOf(() => checkCifar10Folder(dir)).message).toMatch(
      /batches\.meta\.txt lists 2 class names; CIFAR-10 has 10/,
    );
  });
});
