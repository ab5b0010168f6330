/** Small CIFAR-10 folders in the official binary layout, whole or broken in one way each. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RECORD = 3073;

/** `labels.length` records with these label bytes (pixels zero). */
export function records(labels: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * RECORD);
  labels.forEach((label, r) => (bytes[r * RECORD] = label));
  return bytes;
}

/** data_batch_1.bin with `train` labels and test_batch.bin with `test` labels, in a new folder `dir`. */
export function writeCifar10Folder(
  dir: string,
  train: readonly number[] = [0, 1, 2, 3, 4, 5],
  test: readonly number[] = [6, 7, 8, 9],
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data_batch_1.bin'), records(train));
  writeFileSync(join(dir, 'test_batch.bin'), records(test));
  return dir;
}

/** The ways a folder goes wrong that a run must refuse before it is stored. */
export function brokenCifar10Folders(root: string): Record<string, { dir: string; error: RegExp }> {
  const empty = join(root, 'empty');
  mkdirSync(empty, { recursive: true });
  const noTest = writeCifar10Folder(join(root, 'no-test'));
  writeFileSync(join(noTest, 'test_batch.bin'), '');
  const missingTest = join(root, 'missing-test');
  mkdirSync(missingTest, { recursive: true });
  writeFileSync(join(missingTest, 'data_batch_1.bin'), records([1, 2]));
  const badSize = writeCifar10Folder(join(root, 'bad-size'));
  writeFileSync(join(badSize, 'data_batch_1.bin'), new Uint8Array(RECORD * 2 + 7));
  const badLabel = writeCifar10Folder(join(root, 'bad-label'), [0, 1, 12, 3]);
  return {
    empty: { dir: empty, error: /has no training files \(data_batch_\*\.bin\)/ },
    'missing test_batch.bin': { dir: missingTest, error: /test_batch\.bin does not exist/ },
    'empty test_batch.bin': { dir: noTest, error: /test_batch\.bin is empty/ },
    'wrong file size': {
      dir: badSize,
      error: /data_batch_1\.bin is 6153 bytes, not a multiple of the 3073-byte/,
    },
    'label out of range': {
      dir: badLabel,
      error: /data_batch_1\.bin: record 2 has label byte 12; CIFAR-10 labels are 0-9/,
    },
  };
}
