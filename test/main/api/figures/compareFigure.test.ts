import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildCompareFigure,
  compareGroups,
  compareMetrics,
} from '../../../../src/main/api/figures/compareFigure';
import { metricName } from '../../../../src/main/api/figures/metricName';
import { openStore, type Store } from '../../../../src/main/store';
import {
  compareSpecSchema,
  plotFigureSchema,
  type PlotFigure,
  type PlotLine,
  type PlotPanel,
} from '../../../../src/shared/plots';
import { at, must } from '../../../helpers/defined';
import { tempDirs } from '../../../helpers/tempDirs';
import { userErrorOf } from '../../../helpers/userError';
import { contextOf, expectedBuckets, mean, pointsOf, std, writeRun } from './compareFixture';

const dirs = tempDirs('compare-figure');
afterAll(() => dirs.cleanup());

let store: Store;
beforeEach(() => {
  store = openStore(join(dirs.make(), 'runs.sqlite'));
});
afterEach(() => store.close());

const wave =
  (seed: number) =>
  (s: number): number =>
    Math.sin(s / 7 + seed) + seed / 10 + ((s * 37 + seed * 11) % 13) / 50;

function build(spec: Record<string, unknown>, width = 1000): PlotFigure {
  const figure = buildCompareFigure(
    contextOf(store),
    compareSpecSchema.parse({ kind: 'compare', panels: [{ metric: 'train/loss' }], ...spec }),
    width,
  );
  // What crosses IPC: the figure must match the contract.
  return plotFigureSchema.parse(figure);
}

const panelOf = (figure: PlotFigure, i = 0): PlotPanel => at(figure.panels, i);
const lineOf = (panel: PlotPanel, label: string, role: PlotLine['role'] = 'line'): PlotLine =>
  must(panel.lines.find((l) => l.label === label && l.role === role));

/** Three batch-norm seeds of 200 steps, three without: two of 200 steps and one of 120. */
function seedGroups(): { batch: [number, number][][]; none: [number, number][][]; ids: string[] } {
  const batch = [1, 2, 3].map((seed) => pointsOf(0, 199, wave(seed)));
  const none = [4, 5].map((seed) => pointsOf(0, 199, wave(seed))).concat([pointsOf(0, 119, wave(6))]);
  const write = (pts: [number, number][], normalization: string, seed: number): string =>
    writeRun(store, {
      name: `${normalization} ${seed}`,
      config: { seed, model: { network: 'dln25', normalization } },
      series: { 'train/loss': pts },
    });
  const ids = [
    ...none.map((pts, i) => write(pts, 'none', 4 + i)),
    ...batch.map((pts, i) => write(pts, 'batch', 1 + i)),
  ];
  return { batch, none, ids };
}

function expectGroupLine(
  line: PlotLine,
  runs: [number, number][][],
  width: number,
  band: 'minmax' | 'std',
): void {
  const expected = expectedBuckets(runs, 0, 199, width);
  expect(line.steps).toEqual(expected.map((e) => e.step));
  expect(line.x).toEqual(expected.map((e) => e.step));
  expected.forEach((e, i) => {
    expect(at(line.y, i)).toBeCloseTo(mean(e.values), 12);
    const lo = band === 'minmax' ? Math.min(...e.values) : mean(e.values) - std(e.values);
    const hi = band === 'minmax' ? Math.max(...e.values) : mean(e.values) + std(e.values);
    expect(at(must(line.band).lo, i)).toBeCloseTo(lo, 12);
    expect(at(must(line.band).hi, i)).toBeCloseTo(hi, 12);
  });
}

describe('buildCompareFigure: groups', () => {
  it('draws the mean of each group with a min..max band over its runs, at full resolution', () => {
    const { batch, none, ids } = seedGroups();
    const panel = panelOf(build({ runIds: ids, groupBy: ['model.normalization'] }));
    expect(panel.lines.map((l) => [l.label, l.color, l.role])).toEqual([
      ['batch (n=3)', 0, 'line'],
      ['none (n=3)', 1, 'line'],
    ]);
    const batchLine = lineOf(panel, 'batch (n=3)');
    expect(batchLine.steps).toEqual(pointsOf(0, 199, (s) => s).map(([s]) => s));
    expectGroupLine(batchLine, batch, 1000, 'minmax');
    // Past step 119 the short run is gone: the mean is over the two that go on.
    const noneLine = lineOf(panel, 'none (n=3)');
    expectGroupLine(noneLine, none, 1000, 'minmax');
    expect(at(noneLine.y, 150)).toBeCloseTo((wave(4)(150) + wave(5)(150)) / 2, 12);
    expect([...noneLine.runIds].sort()).toEqual(ids.slice(0, 3).sort());
    expect(panel.sampling).toEqual({ stored: 1120, drawn: 1120 });
  });

  it('aligns the runs bucket by bucket when downsampled', () => {
    const { batch, none, ids } = seedGroups();
    const panel = panelOf(build({ runIds: ids, groupBy: ['model.normalization'] }, 25));
    expectGroupLine(lineOf(panel, 'batch (n=3)'), batch, 25, 'minmax');
    expectGroupLine(lineOf(panel, 'none (n=3)'), none, 25, 'minmax');
    const drawn = [...batch, ...none]
      .map((pts) => expectedBuckets([pts], 0, 199, 25).length)
      .reduce((a, b) => a + b, 0);
    expect(panel.sampling).toEqual({ stored: 1120, drawn });
    expect(drawn).toBeLessThan(1120);
  });

  it('draws mean -+ one standard deviation as the std band', () => {
    const { batch, none, ids } = seedGroups();
    const panel = panelOf(build({ runIds: ids, groupBy: ['model.normalization'], band: 'std' }, 40));
    expectGroupLine(lineOf(panel, 'batch (n=3)'), batch, 40, 'std');
    expectGroupLine(lineOf(panel, 'none (n=3)'), none, 40, 'std');
    expect(panel.notes).toContain("bands: mean -+ one std over a group's runs");
  });

  it('keeps colours by label whatever order the runs come in, one line per run without groupBy', () => {
    const { ids } = seedGroups();
    const forward = compareGroups(
      ids.map((id) => must(store.getRun(id))),
      ['model.normalization'],
    );
    const backward = compareGroups(
      [...ids].reverse().map((id) => must(store.getRun(id))),
      ['model.normalization'],
    );
    expect(forward.map((g) => [g.label, g.color])).toEqual(backward.map((g) => [g.label, g.color]));
    const panel = panelOf(build({ runIds: [...ids].reverse() }));
    expect(panel.lines.map((l) => l.label)).toEqual([
      'batch 1',
      'batch 2',
      'batch 3',
      'none 4',
      'none 5',
      'none 6',
    ]);
    expect(panel.lines.map((l) => l.color)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(panel.lines.every((l) => l.band === undefined)).toBe(true);
  });
});

describe('buildCompareFigure: x axes and ranges', () => {
  it('converts a step range to the steps it covers', () => {
    const id = writeRun(store, { series: { 'train/loss': pointsOf(0, 99, wave(1)) } });
    const panel = panelOf(build({ runIds: [id], range: [10.5, 20.2] }));
    const line = at(panel.lines, 0);
    expect(line.steps).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(line.y).toEqual(line.steps.map((s) => wave(1)(s)));
    expect(panel.xRange).toEqual([10.5, 20.2]);
    expect(panel.sampling).toEqual({ stored: 10, drawn: 10 });
  });

  it('counts the points of a zoom, and fewer drawn when downsampled', () => {
    const ids = [1, 2, 3].map((seed) =>
      writeRun(store, { series: { 'train/loss': pointsOf(0, 299, wave(seed)) } }),
    );
    expect(panelOf(build({ runIds: ids, range: [50, 149] })).sampling).toEqual({ stored: 300, drawn: 300 });
    const pts = pointsOf(50, 149, wave(1));
    const drawn = 3 * expectedBuckets([pts], 50, 149, 20).length;
    expect(panelOf(build({ runIds: ids, range: [50, 149] }, 20)).sampling).toEqual({ stored: 300, drawn });
  });

  it('plots epochs of the DLN task as step * batch size / samples, and converts an epoch range', () => {
    const id = writeRun(store, {
      config: { data: { dataset: 'dln-synthetic', samples: 400 }, schedule: { steps: 1000, batchSize: 50 } },
      series: { 'train/loss': pointsOf(0, 200, wave(1), 10) },
    });
    const panel = panelOf(build({ runIds: [id], x: 'epoch' }));
    const line = at(panel.lines, 0);
    expect(line.x).toEqual(line.steps.map((s) => (s * 50) / 400));
    expect(panel.xLabel).toBe('epoch');
    expect(panel.xKind).toBe('epoch');
    // Epochs 5..10 are steps 40..80.
    const zoom = at(panelOf(build({ runIds: [id], x: 'epoch', range: [5, 10] })).lines, 0);
    expect(zoom.steps).toEqual([40, 50, 60, 70, 80]);
  });

  it('plots wall time since the run started from the points written, and converts a time range', () => {
    const t0 = Date.now() + 5_000;
    // 50 ms per step for the first 100 steps, then 200 ms per step.
    const timeOf = (s: number): number => t0 + (s <= 100 ? s * 50 : 5000 + (s - 100) * 200);
    const id = writeRun(store, { series: { 'train/loss': pointsOf(0, 200, wave(2), 4) }, timeOf });
    const started = must(store.getRun(id)?.startedAt ?? undefined);
    const secondsOf = (s: number): number => (timeOf(s) - started) / 1000;
    const panel = panelOf(build({ runIds: [id], x: 'time' }));
    const line = at(panel.lines, 0);
    expect(line.x).toEqual(line.steps.map(secondsOf));
    expect(panel.xLabel).toBe('wall time (s)');
    const range: [number, number] = [secondsOf(40) + 0.01, secondsOf(160) - 0.01];
    const zoom = at(panelOf(build({ runIds: [id], x: 'time', range })).lines, 0);
    const expected = pointsOf(0, 200, (s) => s, 4)
      .map(([s]) => s)
      .filter((s) => secondsOf(s) >= range[0] && secondsOf(s) <= range[1]);
    expect(zoom.steps).toEqual(expected);
    expect(zoom.steps[0]).toBe(44);
  });
});

describe('buildCompareFigure: diverged and missing runs', () => {
  it('ends a diverged run at its last finite point, saying the step', () => {
    const pts = pointsOf(0, 59, wave(1)).concat([[60, Number.NaN]]);
    const id = writeRun(store, { series: { 'train/loss': pts }, status: 'diverged', divergedAtStep: 60 });
    const line = at(panelOf(build({ runIds: [id] })).lines, 0);
    expect(line.end).toEqual({ x: 59, y: wave(1)(59), step: 60, text: 'diverged @ step 60' });
    expect(Number.isNaN(line.y[line.y.length - 1])).toBe(true);
    // A zoom that stops before the divergence shows no end.
    expect(at(panelOf(build({ runIds: [id], range: [0, 30] })).lines, 0).end).toBeUndefined();
  });

  it('notes a diverged run of a group that goes on without it', () => {
    const ok = writeRun(store, { series: { 'train/loss': pointsOf(0, 99, wave(1)) } });
    const bad = writeRun(store, {
      series: { 'train/loss': pointsOf(0, 39, wave(2)).concat([[40, Number.POSITIVE_INFINITY]]) },
      status: 'diverged',
      divergedAtStep: 40,
    });
    const panel = panelOf(build({ runIds: [ok, bad], groupBy: ['model.network'] }));
    const line = at(panel.lines, 0);
    expect(line.label).toBe('dln25 (n=2)');
    expect(line.end).toBeUndefined();
    expect(panel.notes).toContain(`dln25: run ${bad} diverged @ step 40`);
    // The infinite value is left out of the mean: only the run that goes on counts at step 40.
    expect(at(line.y, 40)).toBeCloseTo(wave(1)(40), 12);
  });

  it('ends a group whose runs all diverged where its last run did', () => {
    const ids = [30, 45].map((step, seed) =>
      writeRun(store, {
        series: { 'train/loss': pointsOf(0, step - 1, wave(seed)).concat([[step, Number.NaN]]) },
        status: 'diverged',
        divergedAtStep: step,
      }),
    );
    const line = at(panelOf(build({ runIds: ids, groupBy: ['model.network'] })).lines, 0);
    expect(line.end).toEqual({ x: 44, y: wave(1)(44), step: 45, text: 'diverged @ step 45' });
  });

  it('leaves out runs without the series, naming them in a note', () => {
    const a = writeRun(store, {
      series: { 'train/loss': pointsOf(0, 9, wave(1)), 'test/loss': pointsOf(0, 9, wave(3)) },
    });
    const b = writeRun(store, { series: { 'train/loss': pointsOf(0, 9, wave(2)) } });
    const figure = build({ runIds: [a, b], panels: [{ metric: 'train/loss' }, { metric: 'test/loss' }] });
    expect(panelOf(figure, 0).lines).toHaveLength(2);
    expect(panelOf(figure, 0).notes).toEqual([]);
    const test = panelOf(figure, 1);
    expect(test.lines.map((l) => l.runIds)).toEqual([[a]]);
    expect(test.notes).toContain(`no test/loss in run ${b}`);
  });

  it('refuses unknown runs, saying how to list them', () => {
    const a = writeRun(store, { series: { 'train/loss': pointsOf(0, 9, wave(1)) } });
    const e = userErrorOf(() => build({ runIds: [a, 'nosuchid'] }));
    expect(e.code).toBe('not-found');
    expect(e.message).toContain('"nosuchid"');
    expect(e.message).toContain('normlab list');
  });
});

describe('buildCompareFigure: the figure', () => {
  it('makes a panel per metric with its scales and a caption naming the runs and the smoothing', () => {
    const a = writeRun(store, {
      name: 'first',
      series: { 'train/loss': pointsOf(0, 9, wave(1)), 'test/accuracy': pointsOf(0, 9, wave(2)) },
    });
    const figure = build({
      runIds: [a],
      panels: [{ metric: 'train/loss', yScale: 'log' }, { metric: 'test/accuracy' }],
      columns: 1,
      smoothing: 0.6,
    });
    expect(figure.columns).toBe(1);
    expect(
      figure.panels.map((p) => [p.key, p.title, p.yLabel, p.xScale, p.yScale, p.palette, p.kind]),
    ).toEqual([
      ['train/loss', 'train/loss', 'training loss', 'linear', 'log', 'categorical', 'lines'],
      ['test/accuracy', 'test/accuracy', 'test accuracy', 'linear', 'linear', 'categorical', 'lines'],
    ]);
    expect(figure.panels.every((p) => p.ridges.length === 0 && p.xRange === null)).toBe(true);
    expect(figure.caption).toContain(`${a} (first)`);
    expect(figure.caption).toContain('Smoothing: debiased EMA, alpha 0.6.');
    // Smoothing adds the raw line under the smoothed one, in its colour.
    expect(panelOf(figure).lines.map((l) => [l.role, l.color])).toEqual([
      ['raw', 0],
      ['line', 0],
    ]);
  });
});

describe('compareMetrics', () => {
  it('lists the union of the series with how many runs have each, training and test first, then probes', () => {
    const a = writeRun(store, {
      series: {
        'train/loss': [[0, 1]],
        'test/loss': [[0, 1]],
        'probe/ics/layer10/l2': [[0, 1]],
        'probe/ics/layer2/l2': [[0, 1]],
        'perf/examples_per_sec': [[0, 1]],
      },
    });
    const b = writeRun(store, { series: { 'train/loss': [[0, 1]], 'train/accuracy': [[0, 1]] } });
    expect(compareMetrics(contextOf(store), [a, b])).toEqual([
      { name: 'train/accuracy', runs: 1 },
      { name: 'train/loss', runs: 2 },
      { name: 'test/loss', runs: 1 },
      { name: 'probe/ics/layer2/l2', runs: 1 },
      { name: 'probe/ics/layer10/l2', runs: 1 },
      { name: 'perf/examples_per_sec', runs: 1 },
    ]);
    expect(userErrorOf(() => compareMetrics(contextOf(store), [a, 'missing1'])).code).toBe('not-found');
  });
});

describe('metricName', () => {
  it('reads series names as words', () => {
    expect(metricName('train/loss')).toBe('training loss');
    expect(metricName('test/accuracy')).toBe('test accuracy');
    expect(metricName('probe/ics/layer5/l2')).toBe('ICS: layer 5, l2');
    expect(metricName('probe/norms/grad_norm/total')).toBe('norms: grad norm, total');
    expect(metricName('metric/3')).toBe('metric 3');
  });
});
