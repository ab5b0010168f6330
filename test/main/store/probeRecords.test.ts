import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { decodeRecordData, encodeRecordData } from '../../../src/main/store/probeRecords';
import { isUserError } from '../../../src/shared/errors';
import { sampleConfig } from './fixtures/storeFixtures';

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
      { probe: 'landscape', step: 100, data: { etas: [0.05, 0.1], losses: [2.1, 2.0] } },
      { probe: 'activations', step: 100, data: { layer: 3, edges: [0, 1, 2], counts: [5, 7] } },
      { probe: 'landscape', step: 1, data: { etas: [0.05], losses: [2.3] } },
    ]);
    store.appendProbeRecords(other, [{ probe: 'ics', step: 1, data: { l2: [0.5] } }]);
    const all = store.listProbeRecords(run);
    expect(all.map((r) => [r.probe, r.step])).toEqual([
      ['landscape', 1],
      ['landscape', 100],
      ['activations', 100],
    ]);
    expect(all[2]?.data).toEqual({ layer: 3, edges: [0, 1, 2], counts: [5, 7] });
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
      { probe: 'landscape', step: 5, data: { losses: [1.5, Infinity, NaN, -Infinity], note: 'NaN as text' } },
    ]);
    const [r] = store.listProbeRecords(run);
    expect(r?.data.losses).toEqual([1.5, Infinity, NaN, -Infinity]);
    // A string that happens to read "NaN" comes back as a number: the encoding's one ambiguity.
    expect(decodeRecordData(encodeRecordData({ s: 'NaN' }))).toEqual({ s: NaN });
  });

  it('forgets records after the step a resumed run restarts from', () => {
    const run = store.createRun(sampleConfig());
    store.appendProbeRecords(run, [
      { probe: 'ics', step: 50, data: {} },
      { probe: 'ics', step: 100, data: {} },
      { probe: 'ics', step: 150, data: {} },
    ]);
    store.truncateRunAfter(run, 100);
    expect(store.listProbeRecords(run).map((r) => r.step)).toEqual([50, 100]);
  });

  it('refuses records of an unknown run, and goes when its run is deleted', () => {
    let error: unknown;
    try {
      store.appendProbeRecords('nosuchid', [{ probe: 'ics', step: 1, data: {} }]);
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    const run = store.createRun(sampleConfig());
    store.appendProbeRecords(run, [{ probe: 'ics', step: 1, data: {} }]);
    store.deleteRun(run);
    expect(() => store.listProbeRecords(run)).toThrow(/No run with id/);
  });
});
