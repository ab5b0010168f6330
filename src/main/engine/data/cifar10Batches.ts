/**
 * CIFAR-10 batches for training and evaluation. The uint8 NHWC images stay on the JS side; each batch
 * is one typed-array fill (standardize, optionally augment: imageBatch.ts) and one tf.tensor call for
 * the pixels, plus one for the labels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { drawAugmentations } from './augmentation';
import type { AugmentOptions } from './augmentation';
import type { Batch, DataSource } from './batch';
import { testRange } from './batch';
import { Batcher } from './batcher';
import { CIFAR10_CHANNELS, CIFAR10_CLASSES, CIFAR10_SIZE } from '../../../shared/cifar10Layout';
import type { Cifar10Data, Cifar10Split } from './cifar10Reader';
import { buildImageBatch } from './imageBatch';
import { computeChannelStats, standardizationTable, unitChannelStats } from './standardization';
import type { ChannelStats } from './standardization';

/** 'onehot': float32 [B, 10] (for softmax cross-entropy); 'index': int32 [B]. */
export type LabelEncoding = 'onehot' | 'index';

export interface Cifar10BatchOptions {
  seed: number;
  batchSize: number;
  /** Default true: per-channel training-set standardization (PAPER.md section 1). */
  standardize?: boolean;
  /** Default none (the paper uses none). */
  augment?: AugmentOptions;
  /** Default 'onehot'. */
  labels?: LabelEncoding;
}

export class Cifar10Batches implements DataSource {
  readonly dataset = 'cifar10';
  readonly batcher: Batcher;
  /** mu_c, sigma_c of the training set (or mean 0 / std 1 when standardization is off): store them. */
  readonly stats: ChannelStats;
  readonly classNames: string[];
  private readonly table: Float32Array;
  private readonly augment: AugmentOptions | undefined;
  private readonly labels: LabelEncoding;

  constructor(
    private readonly data: Cifar10Data,
    private readonly options: Cifar10BatchOptions,
  ) {
    this.batcher = new Batcher(data.train.count, options.batchSize, options.seed);
    this.stats = (options.standardize ?? true) ? computeChannelStats(data.train.images) : unitChannelStats();
    this.table = standardizationTable(this.stats);
    this.classNames = data.classNames;
    const augment = options.augment;
    this.augment = augment && (augment.crop || augment.flip) ? augment : undefined;
    this.labels = options.labels ?? 'onehot';
  }

  get trainCount(): number {
    return this.data.train.count;
  }

  get testCount(): number {
    return this.data.test.count;
  }

  batchAt(step: number): Batch {
    const indices = this.batcher.indicesAt(step);
    const draws = this.augment && drawAugmentations(this.options.seed, step, indices.length, this.augment);
    return this.makeBatch(
      this.data.train,
      indices,
      buildImageBatch(this.data.train.images, indices, this.table, draws),
    );
  }

  testBatchCount(batchSize: number): number {
    return Math.ceil(this.data.test.count / batchSize);
  }

  /** Test examples [index * size, (index + 1) * size), standardized with the training stats, never augmented. */
  testBatchAt(index: number, batchSize: number): Batch {
    const [start, end] = testRange(this.data.test.count, index, batchSize);
    const indices = new Uint32Array(end - start);
    for (let i = 0; i < indices.length; i++) indices[i] = start + i;
    return this.makeBatch(
      this.data.test,
      indices,
      buildImageBatch(this.data.test.images, indices, this.table),
    );
  }

  describe(): Record<string, unknown> {
    return {
      dataset: this.dataset,
      train: this.trainCount,
      test: this.testCount,
      batchSize: this.batcher.batchSize,
      stepsPerEpoch: this.batcher.stepsPerEpoch,
      standardization: this.stats,
      augment: this.augment ?? { crop: false, flip: false },
      classNames: this.classNames,
    };
  }

  /** The labels of `indices` as plain numbers (for accuracy on the JS side). */
  labelsOf(split: 'train' | 'test', indices: ArrayLike<number>): Uint8Array {
    const labels = this.data[split].labels;
    const out = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i] ?? 0] ?? 0;
    return out;
  }

  private makeBatch(split: Cifar10Split, indices: ArrayLike<number>, pixels: Float32Array): Batch {
    const n = indices.length;
    const x = tf.tensor4d(pixels, [n, CIFAR10_SIZE, CIFAR10_SIZE, CIFAR10_CHANNELS], 'float32');
    if (this.labels === 'index') {
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) y[i] = split.labels[indices[i] ?? 0] ?? 0;
      return { x, y: tf.tensor1d(y, 'int32') };
    }
    const y = new Float32Array(n * CIFAR10_CLASSES);
    for (let i = 0; i < n; i++) y[i * CIFAR10_CLASSES + (split.labels[indices[i] ?? 0] ?? 0)] = 1;
    return { x, y: tf.tensor2d(y, [n, CIFAR10_CLASSES], 'float32') };
  }
}
