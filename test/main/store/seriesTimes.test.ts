import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/store';
import { tempDirs } from '../../helpers/tempDirs';
import { sampleConfig } from './fixtures/storeFixtures';

const dirs = tempDirs('series-times');
afterAll(() => dirs.cleanup());

let store: Store;
let run: string;
/** Steps 0, 3, 6, ... 297, written at 1000 + 7 * step ms, four steps sharing a time (one batch). */
const steps = Array.from({ length: 100 }, (_, i) => i * 3);
const timeOf = (step: number): number => 1000 + 7 * (step - (step % 12));

beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
  run = store.createRun(sampleConfig());
  store.appendPoints(
    run,
    steps.map((step) => ({ series: 'train/loss', step, value: step / 10, time: timeOf(step) })),
  );
});
afterEach(() => store.close());

/** The expected range by looking at every point. */
function scan(fromMs: number, toMs: number): { fromStep: number; toStep: number } | undefined {
  const inside = steps.filter((s) => timeOf(s) >= fromMs && timeOf(s) <= toMs);
  const first = inside[0];
  const last = inside[inside.length - 1];
  return first === undefined || last === undefined ? undefined : { fromStep: first, toStep: last };
}

describe('readSeriesTimes', () => {
  it('answers the time of each requested step, NaN where the series has no point', () => {
    const asked = [0, 3, 4, 297, 300, 150];
    const times = store.readSeriesTimes(run, 'train/loss', asked);
    expect(Array.from(times)).toEqual(asked.map((s) => (steps.includes(s) ? timeOf(s) : NaN)));
  });

  it('answers NaN for a series the run lacks, and nothing for no steps', () => {
    expect(Array.from(store.readSeriesTimes(run, 'test/loss', [0, 3]))).toEqual([NaN, NaN]);
    expect(store.readSeriesTimes(run, 'train/loss', []).length).toBe(0);
  });
});

describe('seriesStepRangeForTimes', () => {
  it('finds the first and last point written in a window, as a scan of every point does', () => {
    const windows: [number, number][] = [
      [0, 5000],
      [1000, 1000],
      [1001, 1083],
      [1084, 1084],
      [1085, 1167],
      [1500, 2000],
      [2000, 3000],
      [1300, 1200],
      [0, 999],
    ];
    for (const [from, to] of windows) {
      expect(store.seriesStepRangeForTimes(run, 'train/loss', from, to), `${from}..${to}`).toEqual(
        scan(from, to),
      );
    }
  });

  it('is undefined for a series the run lacks', () => {
    expect(store.seriesStepRangeForTimes(run, 'test/loss', 0, 1e9)).toBeUndefined();
  });
});

describe('seriesRangeInfo', () => {
  it('counts the points in a step range and says the first of them', () => {
    expect(store.seriesRangeInfo(run, 'train/loss')).toEqual({ points: 100, firstStep: 0 });
    expect(store.seriesRangeInfo(run, 'train/loss', { fromStep: 10, toStep: 20 })).toEqual({
      points: steps.filter((s) => s >= 10 && s <= 20).length,
      firstStep: 12,
    });
    expect(store.seriesRangeInfo(run, 'train/loss', { fromStep: 400 })).toEqual({
      points: 0,
      firstStep: undefined,
    });
    expect(store.seriesRangeInfo(run, 'test/loss')).toEqual({ points: 0, firstStep: undefined });
  });
});
