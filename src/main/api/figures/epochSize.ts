/**
 * What one epoch of a stored run is, for x axes in epochs: epoch = step * batchSize / trainSize.
 *
 * trainSize is the number of training examples the run drew its batches from:
 * - dln-synthetic: data.samples;
 * - cifar10: data.trainLimit when set (capped by the images there are, when the folder can be read);
 *   otherwise the images in its training files, counted from the files' sizes in the run's folder
 *   (data.dir, resolved and stored when the run was created; no file is read). A run does not record
 *   this count, so when the folder is gone the count is assumed: 10,000 images per training file (the
 *   size of every data_batch_*.bin of CIFAR-10), 5 files when the config named none, and a note says so.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cifar10TrainFiles } from '../../../shared/cifar10Checks';
import { CIFAR10_RECORD_BYTES } from '../../../shared/cifar10Layout';
import { configValue } from '../../../shared/configKeys';
import type { RunRecord } from '../../../shared/runTypes';

/** Images per training file of the CIFAR-10 binary distribution, and how many files it has. */
const CIFAR10_IMAGES_PER_FILE = 10_000;
const CIFAR10_TRAIN_FILES = 5;

export interface EpochSize {
  batchSize: number;
  trainSize: number;
  /** Set when trainSize is assumed rather than known. */
  note?: string;
}

/** The run's batch size and training set size; undefined when its config has neither (not a training run). */
export function epochSize(run: RunRecord): EpochSize | undefined {
  const batchSize = positive(configValue(run.config, 'schedule.batchSize'));
  if (batchSize === undefined) return undefined;
  const dataset = configValue(run.config, 'data.dataset');
  if (dataset === 'dln-synthetic') {
    const samples = positive(configValue(run.config, 'data.samples'));
    return samples === undefined ? undefined : { batchSize, trainSize: samples };
  }
  if (dataset !== 'cifar10') return undefined;
  const limit = positive(configValue(run.config, 'data.trainLimit'));
  const counted = countCifar10Images(run);
  if (counted !== undefined)
    return { batchSize, trainSize: limit === undefined ? counted : Math.min(limit, counted) };
  if (limit !== undefined) return { batchSize, trainSize: limit };
  const files = trainFileNames(run).length || CIFAR10_TRAIN_FILES;
  const trainSize = files * CIFAR10_IMAGES_PER_FILE;
  const dir = configValue(run.config, 'data.dir');
  const where =
    typeof dir === 'string' && dir
      ? `its CIFAR-10 folder ${dir} cannot be read`
      : 'it names no CIFAR-10 folder';
  return {
    batchSize,
    trainSize,
    note:
      `epochs of run ${run.id} assume ${trainSize.toLocaleString('en-US')} training images ` +
      `(${CIFAR10_IMAGES_PER_FILE.toLocaleString('en-US')} per training file; ${where})`,
  };
}

/** The images in the run's training files, from their sizes; undefined when the folder cannot be read. */
function countCifar10Images(run: RunRecord): number | undefined {
  const dir = configValue(run.config, 'data.dir');
  if (typeof dir !== 'string' || !dir) return undefined;
  try {
    const names = cifar10TrainFiles(dir, trainFileNames(run), () => readdirSync(dir));
    let images = 0;
    for (const name of names) images += Math.floor(statSync(join(dir, name)).size / CIFAR10_RECORD_BYTES);
    return images > 0 ? images : undefined;
  } catch {
    // A folder moved or deleted since the run: the count is assumed instead (see the file comment).
    return undefined;
  }
}

function trainFileNames(run: RunRecord): string[] {
  const files = configValue(run.config, 'data.trainFiles');
  if (typeof files !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(files);
    return Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
