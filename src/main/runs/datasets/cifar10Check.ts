/**
 * Checks a CIFAR-10 folder (the binary distribution, cifar-10-batches-bin) before anything is stored:
 * the files a run reads are there, each a whole, non-empty number of records, the label of every
 * record it reads is 0-9, and batches.meta.txt (if present) names ten classes. The engine's reader
 * (engine/data/cifar10Reader.ts) checks the same when it loads the data inside the worker; this check
 * runs in the host first, so a bad folder is refused with nothing created rather than as a failed run.
 *
 * The layout, from engine/data/cifar10Layout.ts (runs reaches the engine only through worker
 * messages): a record is 1 label byte followed by 3 x 32 x 32 pixel bytes.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';

const IMAGE_BYTES = 3 * 32 * 32;
const RECORD_BYTES = 1 + IMAGE_BYTES;
const CLASSES = 10;
/** Records read per chunk while checking labels (3 MB). */
const CHUNK_RECORDS = 1000;
const TRAIN_FILE_PATTERN = /^data_batch_.*\.bin$/;

const HOW_TO_GET =
  'Run `normlab data get cifar10`, or download cifar-10-binary.tar.gz from ' +
  'https://www.cs.toronto.edu/~kriz/cifar.html, unpack it and point NormLab at its cifar-10-batches-bin ' +
  'folder with --data DIR or `normlab settings set cifar10Dir DIR`.';

export interface Cifar10CheckOptions {
  /** Training files inside the folder; empty or absent: every data_batch_*.bin present. */
  trainFiles?: readonly string[];
  /** Default 'test_batch.bin'. */
  testFile?: string;
  /** Check the labels of the first N training (test) records only, what a run with these limits reads; 0 or absent: all. */
  trainLimit?: number;
  testLimit?: number;
}

export interface Cifar10Folder {
  dir: string;
  trainFiles: string[];
  trainImages: number;
  testImages: number;
}

interface FileInfo {
  path: string;
  records: number;
}

/** The folder's inventory, or a UserError ('data-missing' or 'data-malformed') naming the file and what to do. */
export function checkCifar10Folder(dir: string, options: Cifar10CheckOptions = {}): Cifar10Folder {
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
  const train = names.map((name) => inspectFile(join(dir, name)));
  const test = inspectFile(join(dir, options.testFile ?? 'test_batch.bin'));
  checkClassNames(dir);
  checkLabels(train, options.trainLimit ?? 0);
  checkLabels([test], options.testLimit ?? 0);
  return {
    dir,
    trainFiles: names,
    trainImages: train.reduce((sum, f) => sum + f.records, 0),
    testImages: test.records,
  };
}

function listTrainFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => TRAIN_FILE_PATTERN.test(name))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function inspectFile(path: string): FileInfo {
  if (!existsSync(path)) {
    throw new UserError('data-missing', `CIFAR-10 file missing: ${path} does not exist. ${HOW_TO_GET}`);
  }
  const stat = statSync(path);
  if (!stat.isFile()) {
    throw new UserError(
      'data-malformed',
      `${path} is not a file; a CIFAR-10 batch is a binary file. ${HOW_TO_GET}`,
    );
  }
  if (stat.size === 0) {
    throw new UserError(
      'data-malformed',
      `${path} is empty; a CIFAR-10 binary batch holds records of ${RECORD_BYTES} bytes. ` +
        `Download the data again. ${HOW_TO_GET}`,
    );
  }
  if (stat.size % RECORD_BYTES !== 0) {
    throw new UserError(
      'data-malformed',
      `${path} is ${stat.size} bytes, not a multiple of the ${RECORD_BYTES}-byte CIFAR-10 record ` +
        `(1 label byte + ${IMAGE_BYTES} pixel bytes): the file is truncated or is not the binary ` +
        `version of CIFAR-10 (the Python and MATLAB versions do not work). Download it again. ${HOW_TO_GET}`,
    );
  }
  return { path, records: stat.size / RECORD_BYTES };
}

/** Reads the label byte of every record a run would read (the first `limit` across the files, 0: all). */
function checkLabels(files: readonly FileInfo[], limit: number): void {
  let left = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  const buffer = Buffer.alloc(CHUNK_RECORDS * RECORD_BYTES);
  for (const file of files) {
    if (left <= 0) return;
    const records = Math.min(file.records, left);
    left -= records;
    const fd = openSync(file.path, 'r');
    try {
      for (let first = 0; first < records; first += CHUNK_RECORDS) {
        const n = Math.min(CHUNK_RECORDS, records - first);
        const bytes = n * RECORD_BYTES;
        let got = 0;
        while (got < bytes) {
          const k = readSync(fd, buffer, got, bytes - got, first * RECORD_BYTES + got);
          if (k === 0)
            throw new UserError(
              'data-malformed',
              `${file.path} ended early while reading; it changed on disk.`,
            );
          got += k;
        }
        for (let r = 0; r < n; r++) {
          const label = buffer[r * RECORD_BYTES] as number;
          if (label >= CLASSES) {
            throw new UserError(
              'data-malformed',
              `${file.path}: record ${first + r} has label byte ${label}; CIFAR-10 labels are 0-9. The file is ` +
                `corrupt or not a CIFAR-10 binary batch. Download it again. ${HOW_TO_GET}`,
            );
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}

function checkClassNames(dir: string): void {
  const path = join(dir, 'batches.meta.txt');
  if (!existsSync(path)) return;
  const names = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== CLASSES) {
    throw new UserError(
      'data-malformed',
      `${path} lists ${names.length} class names; CIFAR-10 has ${CLASSES} (one per line, in label ` +
        `order). Fix or delete the file (without it NormLab uses the standard names).`,
    );
  }
}
