/** Helpers for the data tests: the shared real CIFAR-10 folder and small synthetic CIFAR-10 files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** /work/shared/data/cifar10 seen from the repo: read-only, never written. */
export const REAL_CIFAR10_DIR = resolve(import.meta.dirname, '../../../..', '../shared/data/cifar10');

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `normlab-${prefix}-`));
}

/**
 * `labels.length` records in the official layout; record r's pixel bytes are (r * 7 + c * 3 + p) mod 256
 * for channel plane c and position p, so every byte is predictable.
 */
export function syntheticRecords(labels: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * 3073);
  labels.forEach((label, r) => {
    bytes[r * 3073] = label;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) bytes[r * 3073 + 1 + c * 1024 + p] = (r * 7 + c * 3 + p) % 256;
    }
  });
  return bytes;
}

export function writeFile(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
