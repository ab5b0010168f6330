/**
 * What makes a CIFAR-10 folder (cifar-10-batches-bin) usable, as UserErrors that name the file and
 * what is wrong. Two places check a folder: the host before anything is stored
 * (runs/datasets/cifar10Check.ts) and the engine's reader when it loads the data inside the worker
 * (engine/data/cifar10Reader.ts). Both call these, so they refuse a folder with the same words. The
 * callers read the disk (node:fs); this module only judges what they read, so it stays platform-free.
 */
import { UserError } from './errors';
import { CIFAR10_CLASSES, CIFAR10_IMAGE_BYTES, CIFAR10_RECORD_BYTES } from './cifar10Layout';

export const CIFAR10_HOW_TO_GET =
  'Run `normlab data get cifar10`, or download cifar-10-binary.tar.gz from ' +
  'https://www.cs.toronto.edu/~kriz/cifar.html, unpack it and point NormLab at its cifar-10-batches-bin ' +
  'folder with --data DIR or `normlab settings set cifar10Dir DIR`.';

const TRAIN_FILE_PATTERN = /^data_batch_.*\.bin$/;

export function cifar10FolderMissing(dir: string): UserError {
  return new UserError(
    'data-missing',
    `CIFAR-10 not found: the folder ${dir} does not exist. ${CIFAR10_HOW_TO_GET}`,
  );
}

export function cifar10NotAFolder(dir: string): UserError {
  return new UserError(
    'data-missing',
    `CIFAR-10 not found: ${dir} is a file, not a folder. ${CIFAR10_HOW_TO_GET}`,
  );
}

export function cifar10FileMissing(path: string): UserError {
  return new UserError(
    'data-missing',
    `CIFAR-10 file missing: ${path} does not exist. ${CIFAR10_HOW_TO_GET}`,
  );
}

export function cifar10EndedEarly(path: string): UserError {
  return new UserError('data-malformed', `${path} ended early while reading; it changed on disk.`);
}

/**
 * The training files to read: `requested` when it names any, else the data_batch_*.bin among
 * `listFolder()` in numeric order. Throws data-missing when that leaves none.
 */
export function cifar10TrainFiles(
  dir: string,
  requested: readonly string[] | undefined,
  listFolder: () => readonly string[],
): string[] {
  const names = requested?.length
    ? [...requested]
    : listFolder()
        .filter((name) => TRAIN_FILE_PATTERN.test(name))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) {
    throw new UserError(
      'data-missing',
      `CIFAR-10 not found: the folder ${dir} has no training files (data_batch_*.bin). ${CIFAR10_HOW_TO_GET}`,
    );
  }
  return names;
}

/** The records of a batch file of `size` bytes; throws data-malformed unless it is a non-empty whole number of them. */
export function cifar10RecordCount(path: string, size: number): number {
  if (size === 0) {
    throw new UserError(
      'data-malformed',
      `${path} is empty; a CIFAR-10 binary batch holds records of ${CIFAR10_RECORD_BYTES} bytes. ` +
        `Download the data again. ${CIFAR10_HOW_TO_GET}`,
    );
  }
  if (size % CIFAR10_RECORD_BYTES !== 0) {
    throw new UserError(
      'data-malformed',
      `${path} is ${size} bytes, not a multiple of the ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 record ` +
        `(1 label byte + ${CIFAR10_IMAGE_BYTES} pixel bytes): the file is truncated or is not the binary ` +
        `version of CIFAR-10 (the Python and MATLAB versions do not work). Download it again. ${CIFAR10_HOW_TO_GET}`,
    );
  }
  return size / CIFAR10_RECORD_BYTES;
}

/** Throws data-malformed unless `label`, the label byte of record `record` of `path`, is 0-9. */
export function checkCifar10Label(path: string, record: number, label: number): void {
  if (label >= CIFAR10_CLASSES) {
    throw new UserError(
      'data-malformed',
      `${path}: record ${record} has label byte ${label}; CIFAR-10 labels are 0-9. The file is corrupt ` +
        `or not a CIFAR-10 binary batch. Download it again. ${CIFAR10_HOW_TO_GET}`,
    );
  }
}

/** The class names of batches.meta.txt (`text`, read from `path`): one per line, ten, in label order. */
export function parseCifar10ClassNames(path: string, text: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== CIFAR10_CLASSES) {
    throw new UserError(
      'data-malformed',
      `${path} lists ${names.length} class names; CIFAR-10 has ${CIFAR10_CLASSES} (one per line, in label ` +
        `order). Fix or delete the file (without it NormLab uses the standard names).`,
    );
  }
  return names;
}
