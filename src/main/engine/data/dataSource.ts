/**
 * The one entry point the trainer needs: the data of an experiment config as a DataSource.
 * Folder resolution (the cifar10Dir setting, the data directory) happens outside the engine; this
 * takes the resolved folder.
 */
import type { DataConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import type { DataSource } from './batch';
import { Cifar10Batches } from './cifar10Batches';
import type { LabelEncoding } from './cifar10Batches';
import { readCifar10 } from './cifar10Reader';
import { DlnBatches } from './dlnBatches';
import { makeDlnTask } from './dlnTask';

export interface DataSourceOptions {
  seed: number;
  batchSize: number;
  /** The resolved CIFAR-10 folder (cifar-10-batches-bin); unused by the DLN task. */
  dir?: string;
  /** CIFAR-10 label encoding; default 'onehot'. */
  labels?: LabelEncoding;
}

export function createDataSource(data: DataConfig, options: DataSourceOptions): DataSource {
  if (data.dataset === 'dln-synthetic') {
    const scales = { inputStd: data.inputStd, targetStd: data.targetStd };
    const task = makeDlnTask(options.seed, data.samples, data.dim, scales);
    return new DlnBatches(task, options.seed, options.batchSize);
  }
  const dir = options.dir || data.dir;
  if (!dir) {
    throw new UserError(
      'data-missing',
      'No CIFAR-10 folder configured. Run `normlab data get cifar10`, or point NormLab at a ' +
        'cifar-10-batches-bin folder with --data DIR or `normlab settings set cifar10Dir DIR`.',
    );
  }
  const cifar = readCifar10(dir, {
    trainFiles: data.trainFiles,
    testFile: data.testFile,
    trainLimit: data.trainLimit,
    testLimit: data.testLimit,
  });
  return new Cifar10Batches(cifar, {
    seed: options.seed,
    batchSize: options.batchSize,
    standardize: data.standardize,
    augment: data.augment,
    labels: options.labels ?? 'onehot',
  });
}
