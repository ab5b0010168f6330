import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildNetwork } from '../../../src/main/engine/models/network';
import { TrainingState } from '../../../src/main/engine/training/trainingState';
import { startSlice, type SliceEvent } from '../../../src/main/runs/sliceRunner';
import { openStore, type Store } from '../../../src/main/store';
import { experimentSchema, type ExperimentConfig } from '../../../src/shared/config';
import { sliceSettingsSchema } from '../../../src/shared/slices';

function dlnConfig(normalization: 'none' | 'batch'): ExperimentConfig {
  return experimentSchema.parse({
    seed: 4,
    backend: 'wasm',
    model: { network: 'dln25', normalization },
    data: { dataset: 'dln-synthetic', samples: 100 },
    optimizer: { lr: 1e-6 },
    schedule: { steps: 10, batchSize: 100 },
  });
}

let store: Store;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

async function runWithCheckpoint(config: ExperimentConfig): Promise<{ runId: string; bytes: Uint8Array }> {
  const net = buildNetwork(config.model, { inputShape: [10], outputSize: 10 });
  const state = TrainingState.fresh(net, config);
  const bytes = await state.toCheckpoint();
  state.dispose();
  const runId = store.createRun(config);
  store.saveCheckpoint(runId, 0, bytes);
  return { runId, bytes };
}

describe('startSlice', () => {
  it('stores every grid point of a surface; stopped midway, it resumes with the missing points only', async () => {
    const config = dlnConfig('batch');
    const { runId, bytes } = await runWithCheckpoint(config);
    const settings = sliceSettingsSchema.parse({ dims: 2, points: 3, batches: 1, from: -0.5, to: 0.5 });

    // An uninterrupted job: the reference.
    const whole = store.createSliceJob(runId, 0, settings);
    const r1 = await startSlice(store, whole, config, bytes, () => undefined).done;
    expect(r1).toMatchObject({ outcome: 'completed', done: 9, total: 9 });
    const reference = store.readSlicePoints(whole);
    expect(reference.map((p) => [p.i, p.j])).toEqual([0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => [i, j])));
    expect(reference.every((p) => Number.isFinite(p.loss) && p.loss > 0)).toBe(true);
    // The loss changes across the grid, and the centre is the checkpoint's own loss.
    expect(new Set(reference.map((p) => p.loss)).size).toBeGreaterThan(1);
    expect(store.getSliceJob(whole)?.status).toBe('completed');

    // The same job, stopped after 4 points, then resumed.
    const job = store.createSliceJob(runId, 0, settings);
    const events: SliceEvent[] = [];
    const first = startSlice(store, job, config, bytes, (e) => {
      events.push(e);
      if (e.type === 'point' && e.done === 4) first.stop();
    });
    const r2 = await first.done;
    expect(r2.outcome).toBe('stopped');
    const afterStop = store.readSlicePoints(job).length;
    expect(afterStop).toBeGreaterThanOrEqual(4);
    expect(afterStop).toBeLessThan(9);
    expect(store.getSliceJob(job)?.status).toBe('stopped');

    const computed: [number, number][] = [];
    const r3 = await startSlice(store, job, config, bytes, (e) => {
      if (e.type === 'point') computed.push([e.point.i, e.point.j]);
    }).done;
    expect(r3).toMatchObject({ outcome: 'completed', done: 9, total: 9 });
    expect(computed).toHaveLength(9 - afterStop);
    expect(store.readSlicePoints(job)).toEqual(reference);
  }, 120_000);

  it('records a failure (a checkpoint of another network) and keeps the host running', async () => {
    const { runId } = await runWithCheckpoint(dlnConfig('none'));
    const other = await runWithCheckpoint(dlnConfig('batch'));
    const job = store.createSliceJob(runId, 0, sliceSettingsSchema.parse({ points: 2, batches: 1 }));
    const r = await startSlice(store, job, dlnConfig('none'), other.bytes, () => undefined).done;
    // A BN checkpoint has the parameters a plain network needs, plus more: this one loads. A plain
    // checkpoint lacks gamma/beta for a BN network: that one fails.
    expect(r.outcome).toBe('completed');
    const bad = store.createSliceJob(other.runId, 0, sliceSettingsSchema.parse({ points: 2, batches: 1 }));
    const plain = await runWithCheckpoint(dlnConfig('none'));
    const failed = await startSlice(store, bad, dlnConfig('batch'), plain.bytes, () => undefined).done;
    expect(failed.outcome).toBe('failed');
    expect(failed.error?.message).toMatch(/the checkpoint has no tensor "param\/layer1.gamma"/);
    expect(store.getSliceJob(bad)).toMatchObject({ status: 'failed', done: 0 });
    expect(store.getSliceJob(bad)?.error).toMatch(/another network/);
  }, 120_000);
});
