/**
 * plotOption drawn by the exports' own renderer (ECharts' server-side SVG) and read back from the SVG:
 * what a reader of an exported figure sees, path by path.
 */
import { describe, expect, it } from 'vitest';

import PDFDocument from 'pdfkit';

import { findFigureFont, renderSvg } from '../../src/main/api/figures/export';
import { figureHeightPx, plotOption, type PlotOptions } from '../../src/shared/plotOption';
import { printLook, screenLook, type PlotLook } from '../../src/shared/plotLook';
import type { PlotFigure } from '../../src/shared/plots';
import {
  allElements,
  parseSvg,
  pathCommands,
  seriesPaths,
  type SvgElement,
} from '../main/api/figures/figureFiles';
import { decay, figure, line, panel, ridgePanel } from './plotFigures';

/** The print look with colours no axis or text uses, so a colour finds its series. */
const LOOK: PlotLook = {
  ...printLook(178),
  palette: ['#112233', '#445566', '#778899'],
  axis: '#123456',
  sequential: ['#aabbcc', '#223344'],
};
const [C0, C1] = LOOK.palette as [string, string];
const WIDTH = 640;

interface Drawn {
  text: string;
  svg: SvgElement;
  width: number;
  height: number;
}

function draw(fig: PlotFigure, options: PlotOptions = {}, look: PlotLook = LOOK, width = WIDTH): Drawn {
  const height = figureHeightPx(fig, width, look, options);
  const text = renderSvg(plotOption(fig, look, { width, height }, options), {
    widthPx: width,
    heightPx: height,
  });
  return { text, svg: parseSvg(text), width, height };
}

interface SvgText {
  content: string;
  attrs: string;
  x: number;
  y: number;
}

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
};

/** Where a text element's local point (x, y) lands on the page under its transform. */
function place(attrs: string): { x: number; y: number } {
  const num = (name: string): number => Number(new RegExp(` ${name}="([\\d.e-]+)"`).exec(attrs)?.[1] ?? 0);
  const x = num('x');
  const y = num('y');
  const translate = /transform="translate\(([\d.e-]+) ([\d.e-]+)\)"/.exec(attrs);
  if (translate) return { x: x + Number(translate[1]), y: y + Number(translate[2]) };
  const matrix = /transform="matrix\(([^)]*)\)"/.exec(attrs);
  if (matrix) {
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = (matrix[1] ?? '').split(/[\s,]+/).map(Number);
    return { x: a * x + c * y + e, y: b * x + d * y + f };
  }
  return { x, y };
}

/** The text elements with their content (entities decoded) and where they are on the page. */
function texts(svg: string): SvgText[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const attrs = m[1] ?? '';
    const content = (m[2] ?? '').replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e] ?? e);
    return { content, attrs, ...place(attrs) };
  });
}

/** Points of a <polygon>. */
function polygonPoints(p: SvgElement): number[][] {
  const v = (p.attrs['points'] ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const out: number[][] = [];
  for (let i = 0; i + 1 < v.length; i += 2) out.push([v[i] as number, v[i + 1] as number]);
  return out;
}

/** Vertices of a path of M and L commands. */
function vertices(d: string): number[][] {
  return [...d.matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Lengths of the runs of points with finite y (what a line draws between its gaps). */
function finiteRuns(y: readonly number[]): number[] {
  const runs: number[] = [];
  let n = 0;
  for (const v of y) {
    if (Number.isFinite(v)) n++;
    else if (n > 0) {
      runs.push(n);
      n = 0;
    }
  }
  if (n > 0) runs.push(n);
  return runs;
}

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Each panel's plot rectangle, from its axis lines as drawn (the long strokes in the axis colour):
 * a horizontal one gives left, right and bottom; a vertical one top and bottom.
 */
function plotRects(svg: SvgElement): Rect[] {
  const lines = allElements(svg, 'path')
    .filter((p) => p.attrs['stroke'] === LOOK.axis && p.attrs['stroke-linecap'] === 'round')
    .map((p) => vertices(p.attrs['d'] ?? ''));
  const horizontal = lines.filter((v) => v[0]?.[1] === v[1]?.[1]);
  const vertical = lines.filter((v) => v[0]?.[0] === v[1]?.[0]);
  return horizontal.map((h) => {
    const [x0, y0] = h[0] as number[];
    const [x1] = h[1] as number[];
    const left = Math.min(x0 as number, x1 as number);
    // The y axis whose line starts at this x axis' left end and bottom.
    const v = vertical.find(
      (u) => Math.abs((u[0]?.[0] ?? -1) - left) < 1.5 && Math.abs((u[0]?.[1] ?? -1) - (y0 as number)) < 1.5,
    );
    const ys = (v ?? []).map((p) => p[1] as number);
    return { left, right: Math.max(x0 as number, x1 as number), bottom: y0 as number, top: Math.min(...ys) };
  });
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('plotOption lines in an exported SVG', () => {
  it('draws one path per line with one vertex per point', () => {
    const a = decay(50);
    const b = decay(30, 2);
    const { svg } = draw(figure([panel('p', [line('a', a), line('b', b, { color: 1 })])]));
    for (const [color, y] of [
      [C0, a],
      [C1, b],
    ] as const) {
      const paths = seriesPaths(svg, color);
      expect(paths).toHaveLength(1);
      expect(pathCommands(paths[0]?.attrs['d'] ?? '')).toEqual({ moves: 1, lines: y.length - 1 });
    }
  });

  it('leaves a gap at NaN and the infinities', () => {
    const y = decay(40);
    for (const i of [5, 6, 20, 33]) y[i] = Number.NaN;
    y[12] = Number.POSITIVE_INFINITY;
    y[38] = Number.NEGATIVE_INFINITY;
    const { svg } = draw(figure([panel('p', [line('a', y)])]));
    const [path, ...more] = seriesPaths(svg, C0);
    expect(more).toHaveLength(0);
    const runs = finiteRuns(y);
    expect(pathCommands(path?.attrs['d'] ?? '')).toEqual({
      moves: runs.length,
      lines: runs.reduce((s, n) => s + n - 1, 0),
    });
  });

  it('shows a lone finite point as a dot', () => {
    const y = [Number.NaN, 0.5, Number.NaN];
    const { svg } = draw(figure([panel('p', [line('a', y)])]));
    const dots = allElements(svg, 'path').filter(
      (p) => p.attrs['fill']?.toLowerCase() === C0 && /A/.test(p.attrs['d'] ?? ''),
    );
    expect(dots).toHaveLength(1);
  });

  it('draws raw lines faint, paper curves dashed and thinner, and lists each label once', () => {
    const y = decay(30);
    const noisy = y.map((v, i) => v + 0.05 * Math.sin(i));
    const lines = (k: string) =>
      panel(k, [
        line('bn', y, { label: 'bn (n=3)', band: { lo: y.map((v) => v * 0.9), hi: y.map((v) => v * 1.1) } }),
        line('bn-raw', noisy, { label: 'bn (n=3)', role: 'raw' }),
        line('plain', decay(30, 2), { label: 'plain', color: 1 }),
        line('paper-bn', decay(30, 1.2), { label: 'bn', role: 'paper' }),
      ]);
    const { svg, text } = draw(figure([lines('a'), lines('b')]));
    const stroked = seriesPaths(svg, C0);
    const raw = stroked.filter((p) => p.attrs['stroke-opacity'] !== undefined);
    const dashed = stroked.filter((p) => p.attrs['stroke-dasharray'] !== undefined);
    const solid = stroked.filter((p) => !raw.includes(p) && !dashed.includes(p));
    // Per panel: the line, its raw line and the paper curve, all in the palette slot's colour.
    expect(solid).toHaveLength(2);
    expect(raw).toHaveLength(2);
    expect(dashed).toHaveLength(2);
    for (const p of raw) expect(Number(p.attrs['stroke-opacity'])).toBeCloseTo(LOOK.rawOpacity, 6);
    const width = (p: SvgElement | undefined) => Number(p?.attrs['stroke-width'] ?? 1);
    expect(width(dashed[0])).toBeLessThan(width(solid[0]));
    expect(width(raw[0])).toBeLessThan(width(solid[0]));
    expect(seriesPaths(svg, C1)).toHaveLength(2);
    const labels = texts(text).map((t) => t.content);
    expect(labels.filter((t) => t === 'bn (n=3)')).toHaveLength(1);
    expect(labels.filter((t) => t === 'plain')).toHaveLength(1);
    expect(labels.filter((t) => t === 'paper: bn')).toHaveLength(1);
  });

  it('marks where a diverged run ends, in its colour', () => {
    const y = decay(30).map((v, i) => (i > 20 ? Number.NaN : v));
    const end = { x: 200, y: y[20] as number, step: 200, text: 'diverged @ 200' };
    const { text } = draw(figure([panel('p', [line('a', y, { color: 1, end })])]));
    const label = texts(text).find((t) => t.content === 'diverged @ 200');
    expect(label?.attrs).toContain(`fill="${C1}"`);
  });
});

describe('plotOption bands', () => {
  it('fills one polygon per unbroken run of the band, one vertex per edge point', () => {
    const y = decay(40);
    const lo = y.map((v) => v * 0.8);
    const hi = y.map((v) => v * 1.25);
    lo[25] = Number.NaN;
    const { svg } = draw(figure([panel('p', [line('a', y, { band: { lo, hi } })])]));
    const polygons = allElements(svg, 'polygon').filter((p) => p.attrs['fill']?.toLowerCase() === C0);
    expect(polygons.map((p) => polygonPoints(p).length)).toEqual(finiteRuns(lo).map((n) => 2 * n));
    for (const p of polygons) expect(Number(p.attrs['fill-opacity'])).toBeCloseTo(LOOK.bandOpacity, 6);
  });

  it('draws only the band of a line without values, and keeps it in the legend', () => {
    const y = decay(20);
    const blank = y.map(() => Number.NaN);
    const { svg, text } = draw(
      figure([panel('p', [line('mean loss', blank, { band: { lo: y, hi: y.map((v) => v * 2) } })])]),
    );
    expect(seriesPaths(svg, C0)).toHaveLength(0);
    const polygons = allElements(svg, 'polygon').filter((p) => p.attrs['fill']?.toLowerCase() === C0);
    expect(polygons.map((p) => polygonPoints(p).length)).toEqual([40]);
    expect(texts(text).filter((t) => t.content === 'mean loss')).toHaveLength(1);
  });
});

describe('plotOption log axes', () => {
  it('leaves values <= 0 out of a log y axis and says how many', () => {
    const y = decay(30);
    y[3] = 0;
    y[10] = -0.5;
    const lo = y.map((v) => v * 0.5);
    lo[20] = -1;
    const fig = figure([
      panel('p', [line('a', y, { band: { lo, hi: y.map((v) => v * 2) } })], { yScale: 'log' }),
    ]);
    const { svg, text } = draw(fig, { caption: true });
    const [path] = seriesPaths(svg, C0);
    const drawnY = y.map((v) => (v > 0 ? v : Number.NaN));
    const runs = finiteRuns(drawnY);
    expect(pathCommands(path?.attrs['d'] ?? '')).toEqual({
      moves: runs.length,
      lines: runs.reduce((s, n) => s + n - 1, 0),
    });
    const dropped = [y, lo, y.map((v) => v * 2)].flat().filter((v) => v <= 0).length;
    expect(dropped).toBe(7);
    expect(texts(text).some((t) => t.content.includes(`${dropped} values <= 0 not drawn (log y)`))).toBe(
      true,
    );
    // Nothing is clipped to a small number: every vertex lies inside the plot.
    const [rect] = plotRects(svg);
    for (const [, vy] of vertices(path?.attrs['d'] ?? '')) {
      expect(vy).toBeGreaterThanOrEqual((rect?.top ?? 0) - 0.5);
      expect(vy).toBeLessThanOrEqual((rect?.bottom ?? 0) + 0.5);
    }
    // A log axis: ticks at powers of ten.
    const ticks = texts(text).map((t) => t.content);
    expect(ticks).toContain('0.1');
    expect(ticks).toContain('1');
  });
});

describe('plotOption ridge panels', () => {
  it('fills one polygon per row, earliest step at the top, labelled by step', () => {
    const bins = 10;
    const rows = [300, 0, 200, 100].map((step) => ({
      step,
      edges: Array.from({ length: bins + 1 }, (_, b) => -2 + (b * 4) / bins + step / 1000),
      counts: Array.from(
        { length: bins },
        (_, b) => Math.round(100 * Math.exp(-((b - 4.5) ** 2) / 6)) + step / 100,
      ),
    }));
    const { svg, text } = draw(figure([ridgePanel('r', rows)], { columns: 1 }));
    const polygons = allElements(svg, 'polygon').filter(
      (p) => p.attrs['fill'] !== undefined && p.attrs['fill'] !== 'none',
    );
    expect(polygons).toHaveLength(rows.length);
    // A histogram outline: the baseline's two ends and two corners per bin.
    for (const p of polygons) expect(polygonPoints(p)).toHaveLength(2 * bins + 2);
    // Drawn back to front: each later ridge's baseline lies lower on the page (larger y).
    const baselines = polygons.map((p) => polygonPoints(p)[0]?.[1] ?? 0);
    expect([...baselines].sort((a, b) => a - b)).toEqual(baselines);
    const labels = texts(text);
    const labelY = (s: string) => labels.find((t) => t.content === s)?.y ?? Number.NaN;
    expect(labelY('0')).toBeLessThan(labelY('100'));
    expect(labelY('100')).toBeLessThan(labelY('200'));
    expect(labelY('200')).toBeLessThan(labelY('300'));
  });
});

describe('plotOption layout', () => {
  it('lays panels out in columns without overlap, inside the canvas, each title above its plot', () => {
    const panels = Array.from({ length: 5 }, (_, i) =>
      panel(String(i), [line('a', decay(30, 10 ** i)), line('b', decay(30, 2), { color: 1 })], {
        title: `Title ${i}`,
        yLabel: 'a long y axis name',
      }),
    );
    const { svg, text, width, height } = draw(figure(panels, { columns: 2, caption: 'Caption text.' }), {
      title: true,
      caption: true,
    });
    const rects = plotRects(svg);
    expect(rects).toHaveLength(5);
    for (const r of rects) {
      expect(r.left).toBeGreaterThan(0);
      expect(r.top).toBeGreaterThan(0);
      expect(r.right).toBeLessThan(width);
      expect(r.bottom).toBeLessThan(height);
      expect(r.right - r.left).toBeGreaterThan(width / 4);
      expect(r.bottom - r.top).toBeGreaterThan(50);
    }
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++)
        expect(overlaps(rects[i] as Rect, rects[j] as Rect)).toBe(false);
    }
    // Two columns: panels 0, 2, 4 on the left half, 1 and 3 on the right.
    expect(rects.filter((r) => r.right < width / 2)).toHaveLength(3);
    expect(rects.filter((r) => r.left > width / 2)).toHaveLength(2);
    const all = texts(text);
    for (const t of all) {
      expect(t.y).toBeGreaterThan(0);
      expect(t.y).toBeLessThan(height);
    }
    for (let i = 0; i < 5; i++) {
      const title = all.find((t) => t.content === `Title ${i}`);
      const below = rects.filter(
        (r) => r.left <= (title?.x ?? -1) && (title?.x ?? -1) <= r.right && r.top > (title?.y ?? 0),
      );
      expect(below.length).toBeGreaterThan(0);
    }
    const caption = all.find((t) => t.content === 'Caption text.');
    expect(caption?.y).toBeGreaterThan(Math.max(...rects.map((r) => r.bottom)));
    expect(all.find((t) => t.content === 'A figure')?.y).toBeLessThan(Math.min(...rects.map((r) => r.top)));
  });

  it('sets legend entries apart, as wide as DejaVu Sans draws their text, wrapping to rows', () => {
    const font = findFigureFont();
    expect(font, 'DejaVu Sans is installed (fonts-dejavu-core)').not.toBeNull();
    const doc = new PDFDocument({ font: font?.regular });
    const widthPx = (t: string) => doc.fontSize(LOOK.fontSize.tick).widthOfString(t);
    const labels = Array.from({ length: 10 }, (_, k) => `lr=${(k + 1) / 1000} WWW (n=${k + 10})`);
    const lines = labels.map((label, k) => line(String(k), decay(10, k + 1), { label, color: k }));
    const { text, svg, width } = draw(figure([panel('p', lines)]), {}, LOOK, 400);
    const entries = texts(text).filter((t) => labels.includes(t.content));
    expect(entries).toHaveLength(labels.length);
    const icons = allElements(svg, 'path')
      .filter((p) => p.attrs['ecmeta_ssr_type'] === 'legend' && p.attrs['fill'] !== 'none')
      .map((p) => place(`transform="${p.attrs['transform'] ?? ''}"`));
    const rows = [...new Set(entries.map((e) => Math.round(e.y)))];
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const inRow = entries.filter((e) => Math.round(e.y) === row).sort((a, b) => a.x - b.x);
      for (const e of inRow) expect(e.x + widthPx(e.content)).toBeLessThanOrEqual(width);
      for (let i = 1; i < inRow.length; i++) {
        const prev = inRow[i - 1] as SvgText;
        const next = inRow[i] as SvgText;
        // The next entry's icon starts after the previous entry's text ends.
        const icon = icons
          .filter((c) => c.x < next.x && c.x > prev.x && Math.abs(c.y - next.y) < LOOK.fontSize.tick)
          .map((c) => c.x);
        expect(icon).toHaveLength(1);
        expect(prev.x + widthPx(prev.content)).toBeLessThan(icon[0] as number);
      }
    }
  });

  it('wraps the caption to the width, in lines under one another', () => {
    const font = findFigureFont();
    expect(font, 'DejaVu Sans is installed (fonts-dejavu-core)').not.toBeNull();
    const doc = new PDFDocument({ font: font?.regular });
    const widthPx = (t: string) => doc.fontSize(LOOK.fontSize.tick).widthOfString(t);
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    const fig = figure([panel('p', [line('a', decay(10))], { notes: ['smoothing: alpha 0.9'] })], {
      caption: words.join(' '),
    });
    const { text, width } = draw(fig, { caption: true }, LOOK, 300);
    const lines = texts(text).filter((t) => /word\d/.test(t.content));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.flatMap((l) => l.content.split(' '))).toEqual(words);
    for (const l of lines) expect(l.x + widthPx(l.content)).toBeLessThanOrEqual(width);
    const ys = lines.map((l) => l.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThan(ys[i - 1] as number);
    const note = texts(text).find((t) => t.content === 'Panel p: smoothing: alpha 0.9');
    expect(note?.y).toBeGreaterThan(ys[ys.length - 1] as number);
  });

  it('names every text in the print font', () => {
    const { text } = draw(
      figure([panel('p', [line('a', decay(10), { end: { x: 50, y: 0.5, step: 5, text: 'x' } })])]),
      {
        title: true,
        caption: true,
      },
    );
    const all = texts(text);
    expect(all.length).toBeGreaterThan(5);
    for (const t of all) expect(t.attrs).toMatch(/DejaVu Sans/);
  });

  it('gives each further row of panels more height, and the caption room', () => {
    const panels = (n: number) =>
      Array.from({ length: n }, (_, i) => panel(String(i), [line('a', decay(10))]));
    const one = figure(panels(2));
    const h1 = figureHeightPx(one, WIDTH, LOOK);
    const h3 = figureHeightPx(figure(panels(6)), WIDTH, LOOK);
    expect(h3).toBeGreaterThan(2.5 * h1);
    expect(h3).toBeLessThan(3.5 * h1);
    const captioned = { ...one, caption: 'A caption long enough to wrap. '.repeat(20) };
    expect(figureHeightPx(captioned, WIDTH, LOOK, { caption: true })).toBeGreaterThan(
      h1 + 3 * LOOK.fontSize.tick,
    );
  });
});

describe('plotOption options', () => {
  const fig = figure([
    panel('loss', [line('a', decay(20))]),
    panel('eta', [line('a', decay(20))], { xKind: 'eta', xLabel: 'eta' }),
    panel('acc', [line('a', decay(20))]),
  ]);

  it('links zoom and cursor over the step panels when asked, and only then', () => {
    const option = plotOption(fig, LOOK, { width: WIDTH, height: 400 }, { zoom: true });
    expect(option.dataZoom).toEqual([{ type: 'inside', xAxisIndex: [0, 2], filterMode: 'none' }]);
    expect(option.axisPointer).toEqual({ link: [{ xAxisIndex: [0, 2] }] });
    expect(option.tooltip).toMatchObject({ trigger: 'axis' });
    const plain = plotOption(fig, LOOK, { width: WIDTH, height: 400 });
    expect(plain.dataZoom).toBeUndefined();
    expect(plain.tooltip).toBeUndefined();
  });

  it('is the same option for screen and print but for the look', () => {
    type Shape = string | Shape[] | { [key: string]: Shape };
    const shape = (v: unknown): Shape => {
      if (Array.isArray(v)) return v.map(shape);
      if (typeof v === 'object' && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
      }
      return typeof v;
    };
    const size = { width: WIDTH, height: 500 };
    for (const options of [{}, { zoom: true, title: true, caption: true }]) {
      const screen = plotOption(fig, screenLook('dark'), size, options);
      const print = plotOption(fig, printLook(178), size, options);
      expect(shape(screen)).toEqual(shape(print));
    }
  });

  it('is deterministic and does not change its input', () => {
    const before = JSON.stringify(fig);
    const a = plotOption(fig, LOOK, { width: WIDTH, height: 400 }, { caption: true });
    const b = plotOption(fig, LOOK, { width: WIDTH, height: 400 }, { caption: true });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(fig)).toBe(before);
  });

  it('builds 12 panels of 20 lines of 2000 points (timed by no test: speed is benchmarked, not asserted)', () => {
    const n = 2000;
    const big = figure(
      Array.from({ length: 12 }, (_, p) =>
        panel(
          String(p),
          Array.from({ length: 20 }, (_, k) => line(String(k), decay(n, k + 1), { color: k })),
        ),
      ),
      { columns: 3 },
    );
    const option = plotOption(big, LOOK, { width: 1200, height: 1600 });
    expect((option.series as unknown[]).length).toBe(12 * 20);
  });
});

describe('axis ends and the paper overlay', () => {
  /** The x tick labels of the drawn figure, left to right. */
  function xTicks(fig: PlotFigure): number[] {
    const { text } = draw(fig);
    const labels = texts(text).filter((t) => /^-?[\d.]+$/.test(t.content));
    // The x axis's labels share the lowest y of the numeric labels.
    const bottom = Math.max(...labels.map((t) => t.y));
    return labels
      .filter((t) => Math.abs(t.y - bottom) < 1)
      .sort((a, b) => a.x - b.x)
      .map((t) => Number(t.content));
  }

  it('starts a step axis at a round number, not at the first point (steps 40..200 -> 0..200)', () => {
    const y = decay(17);
    const x = y.map((_, i) => 40 + i * 10);
    const ticks = xTicks(figure([panel('a', [line('a', y, { x, steps: x })])], { columns: 1 }));
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(200);
    // Evenly spaced: no end label off the ticks' interval.
    const gaps = new Set(ticks.slice(1).map((t, i) => t - (ticks[i] as number)));
    expect(gaps.size).toBe(1);
  });

  it("outlines the paper's band dashed instead of filling it like a run's band", () => {
    const lo = decay(10);
    const hi = lo.map((v) => v * 2);
    const nan = lo.map(() => Number.NaN);
    const fig = figure(
      [
        panel('a', [
          line('run', nan, { band: { lo, hi }, color: 0 }),
          line('paper', nan, { role: 'paper', band: { lo, hi }, color: 1 }),
        ]),
      ],
      { columns: 1 },
    );
    const { svg } = draw(fig);
    const shapes = [...allElements(svg, 'polygon'), ...allElements(svg, 'path')];
    const run = shapes.filter((e) => e.attrs['fill'] === C0);
    expect(run.length).toBeGreaterThan(0);
    // Its two edges, dashed and unfilled, one vertex per point each (no closing edges at the ends).
    const paper = allElements(svg, 'polyline').filter(
      (e) => e.attrs['stroke'] === C1 && e.attrs['stroke-dasharray'] !== undefined,
    );
    expect(paper).toHaveLength(2);
    for (const p of paper) {
      expect(p.attrs['fill'] ?? 'none').toBe('none');
      expect((p.attrs['points'] ?? '').trim().split(/\s+/)).toHaveLength(2 * lo.length);
    }
  });

  it('puts the x axis name below the tick labels, not across the middle one', () => {
    // The screen look: its tick labels are the larger, where the window showed "step" across "100".
    const look = screenLook('light');
    const fig = figure([panel('a', [line('a', decay(21))], { xLabel: 'step' })], { columns: 1 });
    const all = texts(draw(fig, {}, look).text);
    const name = all.find((t) => t.content === 'step');
    const tickY = Math.max(...all.filter((t) => /^\d+$/.test(t.content)).map((t) => t.y));
    // Baseline to baseline: at least one line of the name's text below the ticks' line.
    expect((name?.y ?? 0) - tickY).toBeGreaterThanOrEqual(look.fontSize.axisName);
  });

  it('ends a y axis name longer than its plot in an ellipsis instead of crossing the title', () => {
    const long = 'gradient predictiveness (l2 change) along the whole gradient direction';
    const { text } = draw(figure([panel('a', [line('a', decay(10))], { yLabel: long })], { columns: 3 }));
    const name = texts(text).find((t) => t.content.startsWith('gradient predictiveness'));
    expect(name?.content).toMatch(/…$/);
  });
});
