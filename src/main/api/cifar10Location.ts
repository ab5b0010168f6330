/**
 * Where a run finds CIFAR-10, and whether what is there will do. The folder is, first found: the
 * request's or config's own (--data, data.dir), the `cifar10Dir` setting, then the data directory's
 * cifar-10-batches-bin (where `normlab data get cifar10` puts it). The check is the one every run
 * passes before it is stored (runs/datasets/cifar10Check.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Settings } from '../../shared/api';
import type { DataConfig } from '../../shared/config';
import { isUserError, UserError } from '../../shared/errors';
import { checkCifar10Folder } from '../runs/datasets/cifar10Check';
import { CIFAR10_FOLDER } from '../runs/datasets/cifar10Download';

export interface DatasetPlaces {
  /** The settings now (the cifar10Dir setting). */
  settings(): Settings;
  /** The data directory (locations.ts). */
  dataDir: string;
}

export interface DatasetCheck {
  dir: string;
  ok: boolean;
  trainFiles: string[];
  trainImages: number;
  testImages: number;
  error?: string;
}

/** The folder runs use when they name none, and where that choice came from. */
export function cifar10Folder(
  explicit: string | undefined,
  places: DatasetPlaces,
): { dir: string; from: string } {
  if (explicit) return { dir: resolve(explicit), from: '--data / data.dir' };
  const setting = places.settings().cifar10Dir;
  if (setting) return { dir: setting, from: 'the cifar10Dir setting' };
  return { dir: join(places.dataDir, CIFAR10_FOLDER), from: 'the default location' };
}

/**
 * The CIFAR-10 folder of a run, checked for the files it reads (its limits bound the labels read);
 * a UserError that says where it looked and what to do otherwise.
 */
export function requireCifar10(
  explicit: string | undefined,
  places: DatasetPlaces,
  data?: DataConfig,
): string {
  const { dir, from } = cifar10Folder(explicit, places);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(
      'data-missing',
      `CIFAR-10 was not found at ${dir} (${from}). Download it with \`normlab data get cifar10\`, or, if you ` +
        'have the binary version (cifar-10-batches-bin, from https://www.cs.toronto.edu/~kriz/cifar.html), ' +
        'point NormLab at it with --data DIR or `normlab settings set cifar10Dir DIR`.',
    );
  }
  checkCifar10Folder(
    dir,
    data && {
      trainFiles: data.trainFiles,
      testFile: data.testFile,
      trainLimit: data.trainLimit,
      testLimit: data.testLimit,
    },
  );
  return dir;
}

/** Checks a folder (default: the one runs would use) without changing anything; never throws a UserError. */
export function checkCifar10(dir: string | undefined, places: DatasetPlaces): DatasetCheck {
  const target = dir ? resolve(dir) : cifar10Folder(undefined, places).dir;
  try {
    const folder = checkCifar10Folder(target);
    return { ok: true, ...folder, dir: target };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { dir: target, ok: false, trainFiles: [], trainImages: 0, testImages: 0, error: e.message };
  }
}
