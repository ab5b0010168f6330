/**
 * Reads CIFAR-10 from the official binary distribution (the `cifar-10-batches-bin` folder:
 * data_batch_1..5.bin, test_batch.bin, batches.meta.txt). See shared/cifar10Layout.ts for the record layout.
 * Every problem a user can cause (missing folder or file, truncated file, a stray label) is a
 * UserError naming the file and what is wrong, from shared/cifar10Checks.ts: the host's check before a
 * run (runs/datasets/cifar10Check.ts) refuses a folder with the same words.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkCifar10Label,
  cifar10EndedEarly,
  cifar10FileMissing,
  cifar10FolderMissing,
  cifar10NotAFolder,
  cifar10RecordCount,
  cifar10TrainFiles,
  parseCifar10ClassNames,
} from '../../../shared/cifar10Checks';
import {
  CIFAR10_DEFAULT_CLASS_NAMES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_RECORD_BYTES,
  chwToHwc,
} from '../../../shared/cifar10Layout';

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

/**
 * Checks that `dir` holds the requested CIFAR-10 files and that each is a non-empty whole number of
 * 3073-byte records. Throws UserError('data-missing') or UserError('data-malformed').
 */
export function inspectCifar10(dir: string, options: Cifar10ReadOptions = {}): Cifar10Inventory {
  if (!existsSync(dir)) throw cifar10FolderMissing(dir);
  if (!statSync(dir).isDirectory()) throw cifar10NotAFolder(dir);
  const names = cifar10TrainFiles(dir, options.trainFiles, () => readdirSync(dir));
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

function inspectFile(path: string): Cifar10FileInfo {
  if (!existsSync(path)) throw cifar10FileMissing(path);
  return { path, records: cifar10RecordCount(path, statSync(path).size) };
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
      checkCifar10Label(file.path, r, label);
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
      if (n === 0) throw cifar10EndedEarly(path);
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
  return parseCifar10ClassNames(path, readFileSync(path, 'utf8'));
}
