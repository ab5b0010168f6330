import { openSync, readSync, closeSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectCifar10, readCifar10 } from '../../../../src/main/engine/data/cifar10Reader';
import { CIFAR10_DEFAULT_CLASS_NAMES } from '../../../../src/shared/cifar10Layout';
import { REAL_CIFAR10_DIR, makeTempDir, syntheticRecords, writeFile } from './cifar10Fixtures';
import { userErrorOf } from '../../../helpers/userError';

function readRecordBytes(path: string, record: number): Uint8Array {
  const buffer = new Uint8Array(3073);
  const fd = openSync(path, 'r');
  readSync(fd, buffer, 0, 3073, record * 3073);
  closeSync(fd);
  return buffer;
}

describe('readCifar10 on the real data', () => {
  const data = readCifar10(REAL_CIFAR10_DIR);

  it('reads 10,000 train and 10,000 test records with labels 0-9 and 1,000 test images per class', () => {
    expect(data.train.count).toBe(10_000);
    expect(data.test.count).toBe(10_000);
    expect(data.train.images.length).toBe(10_000 * 3072);
    expect(data.test.labels.length).toBe(10_000);
    const perClass = new Array<number>(10).fill(0);
    for (const label of data.test.labels) perClass[label] = (perClass[label] ?? 0) + 1;
    expect(perClass).toEqual(new Array<number>(10).fill(1000));
    const trainClasses = new Set(data.train.labels);
    expect([...trainClasses].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(data.classNames).toEqual([...CIFAR10_DEFAULT_CLASS_NAMES]);
  });

  it('stores images NHWC: pixel (h, w, c) of record r is byte 1 + c*1024 + h*32 + w of the record', () => {
    for (const [split, file] of [
      ['train', 'data_batch_1.bin'],
      ['test', 'test_batch.bin'],
    ] as const) {
      for (const r of [0, 1, 4321, 9999]) {
        const raw = readRecordBytes(join(REAL_CIFAR10_DIR, file), r);
        expect(data[split].labels[r]).toBe(raw[0]);
        for (const [h, w] of [
          [0, 0],
          [0, 31],
          [17, 5],
          [31, 31],
        ] as const) {
          for (let c = 0; c < 3; c++) {
            expect(data[split].images[r * 3072 + (h * 32 + w) * 3 + c]).toBe(raw[1 + c * 1024 + h * 32 + w]);
          }
        }
      }
    }
  });

  it('honours trainLimit/testLimit and explicit file lists', () => {
    const small = readCifar10(REAL_CIFAR10_DIR, {
      trainFiles: ['data_batch_1.bin'],
      trainLimit: 5,
      testLimit: 3,
    });
    expect(small.train.count).toBe(5);
    expect(small.test.count).toBe(3);
    expect(small.train.images).toEqual(data.train.images.subarray(0, 5 * 3072));
    expect(small.test.labels).toEqual(data.test.labels.subarray(0, 3));
  });
});

describe('readCifar10 on broken folders', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = makeTempDir('cifar-reader');
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reads every data_batch_*.bin in numeric order and the class names of batches.meta.txt', () => {
    const d = dir();
    writeFile(d, 'data_batch_10.bin', syntheticRecords([9]));
    writeFile(d, 'data_batch_2.bin', syntheticRecords([2, 3]));
    writeFile(d, 'test_batch.bin', syntheticRecords([5]));
    writeFile(d, 'batches.meta.txt', 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
    const data = readCifar10(d);
    expect([...data.train.labels]).toEqual([2, 3, 9]);
    expect(data.classNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect(inspectCifar10(d).trainFiles.map((f) => f.records)).toEqual([2, 1]);
  });

  it('rejects a truncated file, saying its length and the record size', () => {
    const d = dir();
    writeFile(d, 'data_batch_1.bin', syntheticRecords([1, 2]).subarray(0, 2 * 3073 - 100));
    writeFile(d, 'test_batch.bin', syntheticRecords([1]));
    const e = userErrorOf(() => readCifar10(d));
    expect(e.code).toBe('data-malformed');
    expect(e.message).toContain(join(d, 'data_batch_1.bin'));
    expect(e.message).toContain(`${2 * 3073 - 100} bytes`);
    expect(e.message).toContain('3073-byte');
  });

  it('rejects a label byte outside 0-9, naming the record and the value', () => {
    const d = dir();
    writeFile(d, 'data_batch_1.bin', syntheticRecords([1, 2]));
    writeFile(d, 'test_batch.bin', syntheticRecords([0, 4, 12, 3]));
    const e = userErrorOf(() => readCifar10(d));
    expect(e.code).toBe('data-malformed');
    expect(e.message).toContain(join(d, 'test_batch.bin'));
    expect(e.message).toContain('record 2 has label byte 12');
  });

  it('rejects an empty file', () => {
    const d = dir();
    writeFile(d, 'data_batch_1.bin', new Uint8Array(0));
    writeFile(d, 'test_batch.bin', syntheticRecords([1]));
    const e = userErrorOf(() => readCifar10(d));
    expect(e.code).toBe('data-malformed');
    expect(e.message).toMatch(/data_batch_1\.bin is empty/);
  });

  it('rejects a wrong number of class names', () => {
    const d = dir();
    writeFile(d, 'data_batch_1.bin', syntheticRecords([1]));
    writeFile(d, 'test_batch.bin', syntheticRecords([1]));
    writeFile(d, 'batches.meta.txt', 'cat\ndog\n');
    const e = userErrorOf(() => readCifar10(d));
    expect(e.code).toBe('data-malformed');
    expect(e.message).toContain('lists 2 class names');
  });

  it('says where to get the data when the folder or a file is missing', () => {
    const d = dir();
    const missing = userErrorOf(() => readCifar10(join(d, 'nope')));
    expect(missing.code).toBe('data-missing');
    expect(missing.message).toContain('normlab data get cifar10');
    expect(missing.message).toContain('https://www.cs.toronto.edu/~kriz/cifar.html');
    expect(missing.message).toContain('normlab settings set cifar10Dir');

    mkdirSync(join(d, 'empty'));
    const noTrain = userErrorOf(() => readCifar10(join(d, 'empty')));
    expect(noTrain.code).toBe('data-missing');
    expect(noTrain.message).toContain('data_batch_*.bin');

    writeFile(d, 'data_batch_1.bin', syntheticRecords([1]));
    const noTest = userErrorOf(() => readCifar10(d));
    expect(noTest.code).toBe('data-missing');
    expect(noTest.message).toContain(join(d, 'test_batch.bin'));

    writeFile(d, 'test_batch.bin', syntheticRecords([1]));
    const noNamed = userErrorOf(() => readCifar10(d, { trainFiles: ['data_batch_7.bin'] }));
    expect(noNamed.code).toBe('data-missing');
    expect(noNamed.message).toContain('data_batch_7.bin');

    const file = userErrorOf(() => readCifar10(join(d, 'test_batch.bin')));
    expect(file.code).toBe('data-missing');
    expect(file.message).toContain('not a folder');
  });
});
