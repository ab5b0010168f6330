import { describe, expect, it } from 'vitest';
import { bucketize } from '../../../src/renderer/src/charts/bucketize';
import { ChartModel } from '../../../src/renderer/src/charts/chartModel';
import {
  BAND_CHUNK,
  axisTooltip,
  bandChunks,
  drawingSeries,
  formatAxis,
} from '../../../src/renderer/src/charts/chartOption';
import { FALLBACK_THEME } from '../../../src/renderer/src/charts/chartTheme';
import { bnLayerTerms, perLayer } from '../../../src/renderer/src/charts/seriesCatalog';
import { at } from '../../helpers/defined';

const ramp = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, value: from + i }));

describe('ChartModel', () => {
  it('draws history plus live points and counts N of M', () => {
    const m = new ChartModel(10);
    m.addLine({ name: 'train/loss', label: 'train loss' });
    m.setHistory('train/loss', { buckets: bucketize(ramp(1, 100), 10), points: 100 });
    m.append('train/loss', 101, 0.5, 1234);
    const d = m.draw();
    expect(d.total).toBe(101);
    expect(d.drawn).toBeLessThan(101);
    expect(d.lastStep).toBe(101);
    expect(d.firstStep).toBe(1);
    expect(m.takeStamps()).toEqual([1234]);
    expect(m.takeStamps()).toEqual([]);
  });

  it('reports which series changed since the last draw', () => {
    const m = new ChartModel(100);
    m.addLine({ name: 'a', label: 'a' });
    m.addLine({ name: 'b', label: 'b' });
    m.addRange({ id: 'band', label: 'band', lo: 'lo', hi: 'hi' });
    for (const n of m.names()) m.setHistory(n, { buckets: [], points: 0 });
    expect(m.takeChanges().all).toBe(true);
    m.append('a', 1, 1);
    m.append('hi', 1, 2);
    const c = m.takeChanges();
    expect(c.all).toBe(false);
    expect([...c.ids].sort()).toEqual(['a', 'band']);
    // Only those series are rebuilt.
    const series = drawingSeries(m.draw(), FALLBACK_THEME, {}, undefined, c.ids);
    expect(series.map((s) => s.id)).toEqual(['band:band', 'a:line', 'a:band']);
  });

  it('replaces the zoomed range with its finer read, counting only that range', () => {
    const m = new ChartModel(10);
    m.addLine({ name: 's', label: 's' });
    m.setHistory('s', { buckets: bucketize(ramp(1, 1000), 10), points: 1000 });
    const fine = bucketize(ramp(401, 420), 10);
    m.setZoom({ from: 401, to: 420 }, new Map([['s', { buckets: fine, points: 20 }]]));
    const d = m.draw();
    expect(d.total).toBe(20);
    // Coarse buckets outside the window, the fine ones inside.
    const steps = at(d.lines, 0).drawing.line.map((p) => p[0]);
    expect(steps.filter((s) => s >= 401 && s <= 420).length).toBe(10);
    expect(steps[0]).toBeLessThan(401);
    expect(steps[steps.length - 1]).toBe(1000);
    // Live points inside the window go to the zoomed read too.
    m.setZoom(null);
    expect(m.draw().total).toBe(1000);
  });

  it('draws a range as a band between its low and high series', () => {
    const m = new ChartModel(100);
    m.addRange({ id: 'loss-band', label: 'L', lo: 'lo', hi: 'hi' });
    m.setHistory('lo', {
      buckets: bucketize(
        [
          { step: 1, value: 1 },
          { step: 2, value: 2 },
        ],
        100,
      ),
      points: 2,
    });
    m.setHistory('hi', {
      buckets: bucketize(
        [
          { step: 1, value: 3 },
          { step: 2, value: 5 },
        ],
        100,
      ),
      points: 2,
    });
    const d = m.draw();
    expect(at(d.ranges, 0).band).toEqual([
      [
        [1, 1, 3],
        [2, 2, 5],
      ],
    ]);
    expect(d.drawn).toBe(4);
    expect(d.total).toBe(4);
  });

  it('puts the divergence marker on the first line', () => {
    const m = new ChartModel(100);
    m.addLine({ name: 'train/loss', label: 'loss' });
    m.setHistory('train/loss', {
      buckets: bucketize(
        [
          { step: 1, value: 2 },
          { step: 7, value: NaN },
        ],
        100,
      ),
      points: 2,
    });
    const series = drawingSeries(m.draw(), FALLBACK_THEME, { divergedAt: 7 });
    const line = series.find((s) => s.id === 'train/loss:line') as {
      markLine?: { data?: unknown[] };
      data?: unknown;
    };
    expect(line.markLine?.data).toEqual([{ xAxis: 7 }]);
    expect(line.data).toEqual([
      [1, 2],
      [7, null],
    ]);
  });
});

describe('bandChunks', () => {
  it('cuts long envelopes into polygons of at most BAND_CHUNK vertices that share their ends', () => {
    const seg = Array.from({ length: 100 }, (_, i): [number, number, number] => [i, 0, 1]);
    const chunks = bandChunks([seg, [[200, 0, 1]]]);
    expect(chunks.every((c) => c.length <= BAND_CHUNK)).toBe(true);
    for (let i = 1; i < chunks.length - 1; i++) expect(at(chunks, i)[0]).toEqual(at(chunks, i - 1).at(-1));
    expect(chunks.at(-2)?.at(-1)).toEqual([99, 0, 1]);
    expect(chunks.at(-1)).toEqual([[200, 0, 1]]);
  });
});

describe('axisTooltip', () => {
  it('heads with the step and lists the lines, not the envelopes, escaping names', () => {
    const html = axisTooltip(
      [
        { seriesType: 'line', seriesName: 'a<b', marker: '•', value: [1509, 0.5] },
        { seriesType: 'custom', seriesName: 'a<b', value: [1509, 0, 1, 1510] },
        { seriesType: 'line', seriesName: 'gap', marker: '•', value: [1509, null] },
      ],
      'step',
    );
    expect(html).toBe('step 1,509<br/>•a&lt;b <b>0.5</b><br/>•gap <b>—</b>');
  });
});

describe('legend order', () => {
  it('orders lines by layer number, not by name (layer10 after layer9)', () => {
    const m = new ChartModel(10);
    const sel = perLayer(['ics'], 'l2');
    for (const n of ['probe/ics/layer10/l2', 'probe/ics/layer2/l2', 'probe/ics/layer9/l2']) {
      const ref = sel(n);
      if (ref) m.addLine(ref);
    }
    expect(m.draw().lines.map((l) => l.ref.label)).toEqual(['layer 2', 'layer 9', 'layer 10']);
  });

  it('orders the Theorem 4.1 terms as the theorem writes them', () => {
    const m = new ChartModel(10);
    const sel = bnLayerTerms(3);
    for (const f of [
      'grad_in_sq_predicted',
      'mean_term',
      'grad_in_sq',
      'proj_term',
      'grad_out_sq',
      'factor',
    ]) {
      const ref = sel(`probe/bnGradients/layer3/${f}`);
      if (ref) m.addLine(ref);
    }
    expect(m.draw().lines.map((l) => l.ref.name.split('/').pop())).toEqual([
      'grad_out_sq',
      'mean_term',
      'proj_term',
      'grad_in_sq',
      'grad_in_sq_predicted',
    ]);
  });
});

describe('formatAxis', () => {
  it('keeps close ticks apart and long numbers short', () => {
    expect([1.665, 1.67, 1.675].map(formatAxis)).toEqual(['1.665', '1.67', '1.675']);
    expect(formatAxis(0.1 + 0.2)).toBe('0.3');
    expect(formatAxis(12000)).toBe('12k');
    expect(formatAxis(2.5e-4)).toBe('2.5e-4');
    expect(formatAxis(3e7)).toBe('3e7');
    expect(formatAxis(0)).toBe('0');
  });
});
