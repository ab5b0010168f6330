/** Run rows for renderer tests. */
import type { RunRow } from '../../src/shared/api';

export function runRow(i: number, patch: Partial<RunRow> = {}): RunRow {
  return {
    id: `run${String(i).padStart(4, '0')}`,
    name: `run ${i}`,
    status: 'completed',
    network: 'vgg-tiny',
    normalization: 'batch',
    optimizer: 'sgd',
    lr: 0.1,
    batchSize: 64,
    seed: i,
    dataset: 'cifar10',
    totalSteps: 200,
    lastStep: 200,
    backend: 'wasm',
    device: 'cpu (2 threads)',
    softwareDevice: false,
    createdAt: 1_700_000_000_000 - i * 1000,
    startedAt: null,
    endedAt: null,
    divergedAtStep: null,
    error: null,
    sweepId: null,
    parentId: null,
    tags: [],
    notes: '',
    final: { trainLoss: 0.5, trainAccuracy: 0.8, testAccuracy: 0.7 },
    ...patch,
  };
}
