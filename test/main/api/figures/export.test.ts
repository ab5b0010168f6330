import { describe, expect, it } from 'vitest';

import {
  FIGURE_WIDTH_MM,
  OKABE_ITO,
  PRINT_FONT_FAMILY,
  applyPrintStyle,
  figureSizePx,
  findFigureFont,
  mmToPt,
  pngWidthPx,
  printFontSizesPt,
  ptToPx,
  renderSvg,
  svgToPdf,
  svgToPng,
} from '../../../../src/main/api/figures/export';
import {
  allElements,
  parseSvg,
  pathCommands,
  readPdf,
  readPng,
  seriesPaths,
  twoSeriesOption,
} from './figureFiles';

const WIDTH_MM = FIGURE_WIDTH_MM.oneColumn;
const HEIGHT_MM = 60;
const A = [1, 0.8, 0.5, 0.4, 0.35, 0.3];
const B = [0.9, 0.7, 0.6, 0.45];
/** 7 points, 4 finite, in three runs: [2], [0.5], [0.4, 0.3]. */
const WITH_GAPS = [2, Number.NaN, 0.5, Number.POSITIVE_INFINITY, 0.4, 0.3, Number.NEGATIVE_INFINITY];

function figure(a: number[], b: number[]): string {
  return renderSvg(
    applyPrintStyle(twoSeriesOption(a, b), WIDTH_MM),
    figureSizePx({ widthMm: WIDTH_MM, heightMm: HEIGHT_MM }),
  );
}

function checkPng(png: Buffer, dpi: number): void {
  const info = readPng(png);
  const width = pngWidthPx(WIDTH_MM, dpi);
  expect(info.width).toBe(width);
  expect(Math.abs(info.height - Math.round((width * HEIGHT_MM) / WIDTH_MM))).toBeLessThanOrEqual(1);
  // Each row is a filter byte and its pixels: the image data decodes to exactly the declared size.
  expect(info.inflatedBytes).toBe(info.height * (1 + info.width * info.bytesPerPixel));
}

function checkPdf(pdf: Buffer): void {
  const info = readPdf(pdf);
  expect(info.mediaBoxes).toHaveLength(1);
  const [x0, y0, x1, y1] = info.mediaBoxes[0] ?? [];
  expect([x0, y0]).toEqual([0, 0]);
  expect(x1).toBeCloseTo(mmToPt(WIDTH_MM), 2);
  expect(y1).toBeCloseTo(mmToPt(HEIGHT_MM), 2);
  const content = info.streams.filter((s) => / Tj| TJ/.test(s) || / [ml]\n/.test(s)).join('\n');
  // Vector paths: move-to, line-to and stroke operators, not an image.
  expect(content).toMatch(/[\d.-]+ [\d.-]+ m\n/);
  expect(content).toMatch(/[\d.-]+ [\d.-]+ l\n/);
  expect(content).toMatch(/\bS\n/);
  expect(info.text).not.toMatch(/\/Subtype\s*\/Image/);
  // Text as text, in the embedded DejaVu Sans (a subset: "ABCDEF+DejaVuSans"), and no other font.
  expect(content).toMatch(/\bBT\b[\s\S]*\bT[jJ]\b/);
  expect(info.text).toMatch(/\/FontFile2/);
  const fonts = [...info.text.matchAll(/\/BaseFont\s*\/([^\s/>]+)/g)].map((m) => m[1]);
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+DejaVuSans/);
}

describe('print style', () => {
  it('sizes fonts in points for the printed width and uses the Okabe-Ito palette on white', () => {
    expect(printFontSizesPt(FIGURE_WIDTH_MM.oneColumn).tick).toBe(7);
    expect(printFontSizesPt(FIGURE_WIDTH_MM.twoColumn).tick).toBe(8);
    const styled = applyPrintStyle(twoSeriesOption(A, B), FIGURE_WIDTH_MM.oneColumn);
    expect(styled.backgroundColor).toBe('#ffffff');
    expect(styled.color).toEqual(OKABE_ITO);
    expect(styled.animation).toBe(false);
    const svg = parseSvg(figure(A, B));
    const texts = allElements(svg, 'text');
    expect(texts.length).toBeGreaterThan(5);
    const tickPx = ptToPx(7);
    const sizes = texts.map((t) => Number(/font-size:([\d.]+)px/.exec(t.attrs['style'] ?? '')?.[1]));
    expect(sizes.some((px) => Math.abs(px - tickPx) < 1e-6)).toBe(true);
    for (const t of texts) expect(t.attrs['style']).toContain(`font-family:${PRINT_FONT_FAMILY}`);
  });

  it('keeps what the option sets itself', () => {
    const option = twoSeriesOption(A, B);
    option.xAxis = { type: 'value', axisLabel: { fontSize: 20 } };
    const styled = applyPrintStyle(option, WIDTH_MM);
    const xAxis = styled.xAxis as { axisLabel: { fontSize: number; fontFamily: string } };
    expect(xAxis.axisLabel.fontSize).toBe(20);
    expect(xAxis.axisLabel.fontFamily).toBe(PRINT_FONT_FAMILY);
  });
});

describe('renderSvg', () => {
  it('draws one path per series with one vertex per point, and text as text', () => {
    const text = figure(A, B);
    const svg = parseSvg(text);
    const { widthPx, heightPx } = figureSizePx({ widthMm: WIDTH_MM, heightMm: HEIGHT_MM });
    expect(Number(svg.attrs['width'])).toBe(widthPx);
    expect(Number(svg.attrs['height'])).toBe(heightPx);
    for (const [i, points] of [A, B].entries()) {
      const paths = seriesPaths(svg, OKABE_ITO[i] ?? '');
      expect(paths).toHaveLength(1);
      expect(pathCommands(paths[0]?.attrs['d'] ?? '')).toEqual({ moves: 1, lines: points.length - 1 });
    }
    // A white background rectangle fills the canvas.
    expect(
      allElements(svg, 'rect').some((r) => r.attrs['fill'] === '#ffffff' || r.attrs['fill'] === '#fff'),
    ).toBe(true);
    // No legend or title appears that the option did not ask for.
    expect(text).not.toMatch(/>a<\/text>/);
    expect(text).toMatch(/<text[^>]*>step<\/text>/);
  });

  it('leaves gaps for NaN and infinities and keeps the axes finite', () => {
    const svg = parseSvg(figure(WITH_GAPS, B));
    const [path] = seriesPaths(svg, OKABE_ITO[0] ?? '');
    const d = path?.attrs['d'] ?? '';
    expect(pathCommands(d)).toEqual({ moves: 3, lines: 1 });
    expect(d).not.toMatch(/NaN|Infinity/);
    // Every vertex lies inside the canvas: an infinite value did not stretch the axis.
    const { heightPx } = figureSizePx({ widthMm: WIDTH_MM, heightMm: HEIGHT_MM });
    const ys = [...d.matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)].map((m) => Number(m[2]));
    for (const y of ys) expect(y >= 0 && y <= heightPx).toBe(true);
  });

  it('rejects a size that is not positive', () => {
    expect(() => renderSvg(twoSeriesOption(A, B), { widthPx: 0, heightPx: 100 })).toThrow(/positive/);
  });
});

describe('svgToPng', () => {
  it.each([150, 300])('renders at the pixel width of the printed width at %i dpi', async (dpi) => {
    checkPng(await svgToPng(figure(A, B), { widthMm: WIDTH_MM, dpi }), dpi);
  });

  it('renders data with NaN and infinities', async () => {
    checkPng(
      await svgToPng(figure(WITH_GAPS, [Number.NaN, Number.NaN]), { widthMm: WIDTH_MM, dpi: 100 }),
      100,
    );
  });

  it('computes the pixel width as round(mm / 25.4 * dpi)', () => {
    expect(pngWidthPx(FIGURE_WIDTH_MM.oneColumn, 300)).toBe(990);
    expect(pngWidthPx(FIGURE_WIDTH_MM.twoColumn, 300)).toBe(2100);
  });
});

describe('svgToPdf', () => {
  it('finds DejaVu Sans on this system (CI installs fonts-dejavu-core)', () => {
    expect(findFigureFont()).not.toBeNull();
  });

  it('writes one page of the figure size, with vector paths and the font embedded', async () => {
    checkPdf(await svgToPdf(figure(A, B), { widthMm: WIDTH_MM, heightMm: HEIGHT_MM }));
  });

  it('writes data with NaN and infinities', async () => {
    checkPdf(await svgToPdf(figure(WITH_GAPS, [Number.NaN]), { widthMm: WIDTH_MM, heightMm: HEIGHT_MM }));
  });

  it('says which font it could not find', async () => {
    await expect(
      svgToPdf(figure(A, B), { widthMm: WIDTH_MM, heightMm: HEIGHT_MM, fontFile: '/nonexistent/Font.ttf' }),
    ).rejects.toThrow(/DejaVu Sans font was not found.*\/nonexistent\/Font\.ttf.*fonts-dejavu-core/);
  });
});
