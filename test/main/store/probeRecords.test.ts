import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { decodeRecordData, encodeRecordData } from '../../../src/main/store/probeRecords';
import { isUserError } from '../../../src/shared/errors';
import type { ActivationsData, IcsData, LandscapeData } from '../../../src/shared/probes';
import { sampleConfig } from './fixtures/storeFixtures';

/** A landscape record's data over `etas` (lr 0.1) with these losses. */
function landscape(etas: number[], losses: number[]): LandscapeData {
  const multipliers = etas.map((eta) => eta / 0.1);
  return { lr: 0.1, multipliers, etas, losses, gradChanges: etas.map(() => 0.5), gradNorm: 1, loss: 2 };
}

const histogram: ActivationsData = {
  layer: 3,
  unit: 1,
  edges: [0, 1, 2],
  counts: [5, 7],
  count: 12,
  mean: 1,
  variance: 0.5,
  min: 0,
  max: 2,
  degenerate: false,
};

const ics: IcsData = { layers: [1], l2: [0.5], cos: [0.9], gradNorm: [1], shiftedGradNorm: [1] };

/** A record of a probe that could not be computed at its step. */
const skipped = { error: 'not computed' };

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

describe('probe records', () => {
  it('stores records per run and lists them by step, per probe and step range', () => {
    const run = store.createRun(sampleConfig());
    const other = store.createRun(sampleConfig());
    store.appendProbeRecords(run, [
      { probe: 'landscape', step: 100, data: landscape([0.05, 0.1], [2.1, 2.0]) },
      { probe: 'activations', step: 100, data: histogram },
      { probe: 'landscape', step: 1, data: landscape([0.05], [2.3]) },
    ]);
    store.appendProbeRecords(other, [{ probe: 'ics', step: 1, data: ics }]);
    const all = store.listProbeRecords(run);
    expect(all.map((r) => [r.probe, r.step])).toEqual([
      ['landscape', 1],
      ['landscape', 100],
      ['activations', 100],
    ]);
    expect(all[2]?.data).toEqual(histogram);
    expect(typeof all[0]?.time).toBe('number');
    expect(store.listProbeRecords(run, { probe: 'landscape' }).map((r) => r.step)).toEqual([1, 100]);
    expect(store.listProbeRecords(run, { fromStep: 2 }).map((r) => r.probe)).toEqual([
      'landscape',
      'activations',
    ]);
    expect(store.listProbeRecords(run, { toStep: 1 })).toHaveLength(1);
    expect(store.listProbeRecords(other)).toHaveLength(1);
  });

  it('keeps NaN and the infinities (a diverging eta is a result), which JSON alone cannot', () => {
    const run = store.createRun(sampleConfig());
    store.appendProbeRecords(run, [
      { probe: 'landscape', step: 5, data: landscape([0.1, 0.2, 0.3, 0.4], [1.5, Infinity, NaN, -Infinity]) },
    ]);
    const [r] = store.listProbeRecords(run);
    expect((r?.data as LandscapeData).losses).toEqual([1.5, Infinity, NaN, -Infinity]);
    // A string that happens to read "NaN" comes back as a number: the encoding's one ambiguity.
    expect(decodeRecordData(encodeRecordData({ s: 'NaN' }))).toEqual({ s: NaN });
  });

  it('forgets records after the step a resumed run restarts from', () => {
    const run = store.createRun(sampleConfig());
    store.appendProbeRecords(run, [
      { probe: 'ics', step: 50, data: skipped },
      { probe: 'ics', step: 100, data: skipped },
      { probe: 'ics', step: 150, data: skipped },
    ]);
    store.truncateRunAfter(run, 100);
    expect(store.listProbeRecords(run).map((r) => r.step)).toEqual([50, 100]);
  });

  it('refuses records of an unknown run, and goes when its run is deleted', () => {
    let error: unknown;
    try {
      store.appendProbeRecords('nosuchid', [{ probe: 'ics', step: 1, data: skipped }]);
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    const run = store.createRun(sampleConfig());
    store.appendProbeRecords(run, [{ probe: 'ics', step: 1, data: skipped }]);
    store.deleteRun(run);
    expect(() => store.listProbeRecords(run)).toThrow(/No run with id/);
  });
});
