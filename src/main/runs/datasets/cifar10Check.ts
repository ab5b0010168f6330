/**
 * Checks a CIFAR-10 folder (the binary distribution, cifar-10-batches-bin) before anything is stored:
 * the files a run reads are there, each a whole, non-empty number of records, the label of every
 * record it reads is 0-9, and batches.meta.txt (if present) names ten classes. The engine's reader
 * (engine/data/cifar10Reader.ts) checks the same when it loads the data inside the worker; this check
 * runs in the host first, so a bad folder is refused with nothing created rather than as a failed run.
 *
 * The layout and the errors come from src/shared (cifar10Layout.ts, cifar10Checks.ts), which the
 * reader uses too: runs reaches the engine only through worker messages, so neither imports the other.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import {
  CIFAR10_HOW_TO_GET,
  checkCifar10Label,
  cifar10EndedEarly,
  cifar10FileMissing,
  cifar10FolderMissing,
  cifar10NotAFolder,
  cifar10RecordCount,
  cifar10TrainFiles,
  parseCifar10ClassNames,
} from '../../../shared/cifar10Checks';
import { CIFAR10_RECORD_BYTES } from '../../../shared/cifar10Layout';

/** Records read per chunk while checking labels (3 MB). */
const CHUNK_RECORDS = 1000;

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
  if (!existsSync(dir)) throw cifar10FolderMissing(dir);
  if (!statSync(dir).isDirectory()) throw cifar10NotAFolder(dir);
  const names = cifar10TrainFiles(dir, options.trainFiles, () => readdirSync(dir));
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

function inspectFile(path: string): FileInfo {
  if (!existsSync(path)) throw cifar10FileMissing(path);
  const stat = statSync(path);
  if (!stat.isFile()) {
    throw new UserError(
      'data-malformed',
      `${path} is not a file; a CIFAR-10 batch is a binary file. ${CIFAR10_HOW_TO_GET}`,
    );
  }
  return { path, records: cifar10RecordCount(path, stat.size) };
}

/** Reads the label byte of every record a run would read (the first `limit` across the files, 0: all). */
function checkLabels(files: readonly FileInfo[], limit: number): void {
  let left = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  const buffer = Buffer.alloc(CHUNK_RECORDS * CIFAR10_RECORD_BYTES);
  for (const file of files) {
    if (left <= 0) return;
    const records = Math.min(file.records, left);
    left -= records;
    const fd = openSync(file.path, 'r');
    try {
      for (let first = 0; first < records; first += CHUNK_RECORDS) {
        const n = Math.min(CHUNK_RECORDS, records - first);
        const bytes = n * CIFAR10_RECORD_BYTES;
        let got = 0;
        while (got < bytes) {
          const k = readSync(fd, buffer, got, bytes - got, first * CIFAR10_RECORD_BYTES + got);
          if (k === 0) throw cifar10EndedEarly(file.path);
          got += k;
        }
        for (let r = 0; r < n; r++) {
          checkCifar10Label(file.path, first + r, buffer[r * CIFAR10_RECORD_BYTES] as number);
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}

function checkClassNames(dir: string): void {
  const path = join(dir, 'batches.meta.txt');
  if (existsSync(path)) parseCifar10ClassNames(path, readFileSync(path, 'utf8'));
}
