/**
 * Reads CIFAR-10 from the official binary distribution (the `cifar-10-batches-bin` folder:
 * data_batch_1..5.bin, test_batch.bin, batches.meta.txt). See cifar10Layout.ts for the record layout.
 * Every problem a user can cause (missing folder or file, truncated file, a stray label) is a
 * UserError naming the file and what is wrong.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import {
  CIFAR10_CLASSES,
  CIFAR10_DEFAULT_CLASS_NAMES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_RECORD_BYTES,
  chwToHwc,
} from './cifar10Layout';

export interface Cifar10ReadOptions {
  /** Training files inside the folder; empty or absent means every data_batch_*.bin present, sorted. */
  trainFiles?: readonly string[];
  /** Default 'test_batch.bin'. */
  testFile?: string;
  /** Read only the first N training (test) records, across files in order; 0 or absent means all. */
  trainLimit?: number;
  testLimit?: number;
}

/** One split held as NHWC uint8: images[i * 3072 + (h * 32 + w) * 3 + c]; labels[i] in 0..9. */
export interface Cifar10Split {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Cifar10Data {
  train: Cifar10Split;
  test: Cifar10Split;
  classNames: string[];
}

export interface Cifar10FileInfo {
  path: string;
  records: number;
}

/** What a folder holds, checked from file sizes alone (no pixels read). */
export interface Cifar10Inventory {
  trainFiles: Cifar10FileInfo[];
  testFile: Cifar10FileInfo;
  classNames: string[];
}

const HOW_TO_GET =
  'Run `normlab data get cifar10`, or download cifar-10-binary.tar.gz from ' +
  'https://www.cs.toronto.edu/~kriz/cifar.html, unpack it and point NormLab at its cifar-10-batches-bin ' +
  'folder with --data DIR or `normlab settings set cifar10Dir DIR`.';

const TRAIN_FILE_PATTERN = /^data_batch_.*\.bin$/;

/**
 * Checks that `dir` holds the requested CIFAR-10 files and that each is a non-empty whole number of
 * 3073-byte records. Throws UserError('data-missing') or UserError('data-malformed').
 */
export function inspectCifar10(dir: string, options: Cifar10ReadOptions = {}): Cifar10Inventory {
  if (!existsSync(dir)) {
    throw new UserError(
      'data-missing',
      `CIFAR-10 not found: the folder ${dir} does not exist. ${HOW_TO_GET}`,
    );
  }
  if (!statSync(dir).isDirectory()) {
    throw new UserError('data-missing', `CIFAR-10 not found: ${dir} is a file, not a folder. ${HOW_TO_GET}`);
  }
  const names = options.trainFiles?.length ? [...options.trainFiles] : listTrainFiles(dir);
  if (names.length === 0) {
    throw new UserError(
      'data-missing',
      `CIFAR-10 not found: the folder ${dir} has no training files (data_batch_*.bin). ${HOW_TO_GET}`,
    );
  }
  return {
    trainFiles: names.map((name) => inspectFile(join(dir, name))),
    testFile: inspectFile(join(dir, options.testFile ?? 'test_batch.bin')),
    classNames: readClassNames(dir),
  };
}

/** Reads the training and test splits of `dir` into memory (NHWC uint8), validating every label. */
export function readCifar10(dir: string, options: Cifar10ReadOptions = {}): Cifar10Data {
  const inventory = inspectCifar10(dir, options);
  return {
    train: readSplit(inventory.trainFiles, options.trainLimit ?? 0),
    test: readSplit([inventory.testFile], options.testLimit ?? 0),
    classNames: inventory.classNames,
  };
}

function listTrainFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => TRAIN_FILE_PATTERN.test(name))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function inspectFile(path: string): Cifar10FileInfo {
  if (!existsSync(path)) {
    throw new UserError('data-missing', `CIFAR-10 file missing: ${path} does not exist. ${HOW_TO_GET}`);
  }
  const size = statSync(path).size;
  if (size === 0) {
    throw new UserError(
      'data-malformed',
      `${path} is empty; a CIFAR-10 binary batch holds records of ${CIFAR10_RECORD_BYTES} bytes. ` +
        `Download the data again. ${HOW_TO_GET}`,
    );
  }
  if (size % CIFAR10_RECORD_BYTES !== 0) {
    throw new UserError(
      'data-malformed',
      `${path} is ${size} bytes, not a multiple of the ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 record ` +
        `(1 label byte + ${CIFAR10_IMAGE_BYTES} pixel bytes): the file is truncated or is not the binary ` +
        `version of CIFAR-10 (the Python and MATLAB versions do not work). Download it again. ${HOW_TO_GET}`,
    );
  }
  return { path, records: size / CIFAR10_RECORD_BYTES };
}

function readSplit(files: readonly Cifar10FileInfo[], limit: number): Cifar10Split {
  const available = files.reduce((sum, f) => sum + f.records, 0);
  const count = limit > 0 ? Math.min(limit, available) : available;
  const images = new Uint8Array(count * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let next = 0;
  for (const file of files) {
    if (next === count) break;
    const records = Math.min(file.records, count - next);
    const bytes = readPrefix(file.path, records * CIFAR10_RECORD_BYTES);
    for (let r = 0; r < records; r++) {
      const offset = r * CIFAR10_RECORD_BYTES;
      const label = bytes[offset] ?? 0;
      if (label >= CIFAR10_CLASSES) {
        throw new UserError(
          'data-malformed',
          `${file.path}: record ${r} has label byte ${label}; CIFAR-10 labels are 0-9. The file is corrupt ` +
            `or not a CIFAR-10 binary batch. Download it again. ${HOW_TO_GET}`,
        );
      }
      labels[next] = label;
      chwToHwc(bytes, offset + 1, images, next * CIFAR10_IMAGE_BYTES);
      next++;
    }
  }
  return { images, labels, count };
}

/** The first `length` bytes of a file (the whole file when the limit covers it). */
function readPrefix(path: string, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buffer, done, length - done, done);
      if (n === 0)
        throw new UserError('data-malformed', `${path} ended early while reading; it changed on disk.`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return buffer;
}

/** Class names from batches.meta.txt (one per line, label order), else the standard ten. */
function readClassNames(dir: string): string[] {
  const path = join(dir, 'batches.meta.txt');
  if (!existsSync(path)) return [...CIFAR10_DEFAULT_CLASS_NAMES];
  const names = readFileSync(path, 'utf8')
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
