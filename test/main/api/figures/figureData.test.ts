import { describe, expect, it } from 'vitest';

import { FIGURE_CSV_COLUMNS, figureCsv } from '../../../../src/main/api/figures/figureCsv';
import { figureFileName } from '../../../../src/main/api/figures/figureFileName';
import { figureJson } from '../../../../src/main/api/figures/figureJson';
import {
  compareSpecSchema,
  plotFigureSchema,
  templateSpecSchema,
  type PlotFigure,
} from '../../../../src/shared/plots';
import { csvRows } from '../../../helpers/csvRows';

/** Values String() must write in full to round-trip: thirds, tiny, huge, -0 and the non-finite. */
const AWKWARD = [1 / 3, 2 / 3, 1e-300, 123456789.12345679, -0, Number.NaN, Infinity, -Infinity];

const FIGURE: PlotFigure = plotFigureSchema.parse({
  title: 'a test figure',
  columns: 2,
  caption: 'two panels',
  panels: [
    {
      key: 'loss',
      title: 'Loss, "train"',
      kind: 'lines',
      xKind: 'step',
      xLabel: 'step',
      yLabel: 'loss',
      xScale: 'linear',
      yScale: 'log',
      palette: 'categorical',
      notes: [],
      sampling: { stored: 16, drawn: 16 },
      xRange: null,
      ridges: [],
      lines: [
        {
          key: 'g0',
          label: 'batch (n=2)',
          role: 'line',
          color: 0,
          runIds: ['aaaa1111', 'bbbb2222'],
          steps: AWKWARD.map((_, i) => i * 10),
          x: AWKWARD.map((_, i) => i * 10),
          y: AWKWARD,
          band: { lo: AWKWARD.map((v) => v - 1), hi: AWKWARD.map((v) => v + 1) },
        },
        {
          key: 'eta',
          label: 'eta curve',
          role: 'paper',
          color: 1,
          runIds: [],
          steps: [],
          x: [0.1, 0.2],
          y: [5, 6],
        },
      ],
    },
    {
      key: 'act',
      title: 'Activations',
      kind: 'ridge',
      xKind: 'value',
      xLabel: 'value',
      yLabel: 'step',
      xScale: 'linear',
      yScale: 'linear',
      palette: 'sequential',
      notes: ['layer 3'],
      sampling: null,
      xRange: null,
      lines: [],
      ridges: [
        { step: 100, edges: [-1, 0, 1], counts: [3, 4] },
        { step: 200, edges: [-2, 0, 2.5], counts: [0, 7] },
      ],
    },
  ],
});

describe('figureCsv', () => {
  const rows = csvRows(figureCsv(FIGURE));
  const [header, ...body] = rows;
  const col = (name: (typeof FIGURE_CSV_COLUMNS)[number]): number => header?.indexOf(name) ?? -1;

  it('starts with the header and writes every row with every column', () => {
    expect(header).toEqual([...FIGURE_CSV_COLUMNS]);
    for (const r of body) expect(r).toHaveLength(FIGURE_CSV_COLUMNS.length);
    // 8 + 2 line points, 2 + 2 ridge bins.
    expect(body).toHaveLength(14);
  });

  it('round-trips every line value exactly, the non-finite and -0 included', () => {
    const g0 = body.filter((r) => r[col('line')] === 'g0');
    expect(g0.map((r) => Number(r[col('y')]))).toEqual(AWKWARD);
    expect(g0.map((r) => Number(r[col('band_lo')]))).toEqual(AWKWARD.map((v) => v - 1));
    expect(g0.map((r) => Number(r[col('step')]))).toEqual(AWKWARD.map((_, i) => i * 10));
    expect(Object.is(Number(g0[4]?.[col('y')]), -0)).toBe(true);
    expect(g0.map((r) => r[col('y')]).slice(5)).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(g0[0]?.[col('panel_title')]).toBe('Loss, "train"');
    expect(g0[0]?.[col('run_ids')]).toBe('aaaa1111 bbbb2222');
    expect(g0[0]?.[col('role')]).toBe('line');
  });

  it('leaves what a line does not have empty', () => {
    const eta = body.filter((r) => r[col('line')] === 'eta');
    expect(eta.map((r) => [r[col('step')], r[col('x')], r[col('y')], r[col('band_lo')]])).toEqual([
      ['', '0.1', '5', ''],
      ['', '0.2', '6', ''],
    ]);
  });

  it('writes one row per ridge bin with its edges and count', () => {
    const bins = body.filter((r) => r[col('panel')] === 'act');
    expect(
      bins.map((r) => [r[col('step')], r[col('bin_lo')], r[col('bin_hi')], r[col('count')]].map(Number)),
    ).toEqual([
      [100, -1, 0, 3],
      [100, 0, 1, 4],
      [200, -2, 0, 0],
      [200, 0, 2.5, 7],
    ]);
    for (const r of bins) expect(r[col('x')]).toBe('');
  });
});

describe('figureJson', () => {
  it('parses back to the spec, size and figure, with non-finite values as strings', () => {
    const spec = templateSpecSchema.parse({ kind: 'template', template: 'fig4' });
    const size = { widthMm: 177.8, heightMm: 60, dpi: 300 };
    const back = JSON.parse(figureJson(spec, size, FIGURE)) as {
      spec: unknown;
      size: unknown;
      figure: PlotFigure;
    };
    expect(back.spec).toEqual(spec);
    expect(back.size).toEqual(size);
    const y = back.figure.panels[0]?.lines[0]?.y as unknown[];
    expect(y.slice(5)).toEqual(['NaN', 'Infinity', '-Infinity']);
    const revive = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));
    expect(y.map(revive)).toEqual(AWKWARD.map((v) => (Object.is(v, -0) ? 0 : v)));
    expect(back.figure.panels[1]?.ridges).toEqual(FIGURE.panels[1]?.ridges);
  });
});

describe('figureFileName', () => {
  it('names a template export after the template and a compare after its metrics', () => {
    const template = templateSpecSchema.parse({ kind: 'template', template: 'fig4' });
    expect(figureFileName(template, 'svg')).toBe('fig4.svg');
    const compare = compareSpecSchema.parse({
      kind: 'compare',
      runIds: ['a'],
      panels: [{ metric: 'train/loss' }, { metric: 'probe/ics/layer5/l2' }],
    });
    expect(figureFileName(compare, 'pdf')).toBe('compare-train-loss-probe-ics-layer5-l2.pdf');
    const odd = compareSpecSchema.parse({ kind: 'compare', runIds: ['a'], panels: [{ metric: '///' }] });
    expect(figureFileName(odd, 'png')).toBe('compare.png');
  });
});
