/**
 * Readers for exported figure files, enough to check them without a viewer: SVG series paths (via
 * fast-xml-parser), PNG header and image data (PNG chunks and zlib), PDF page boxes and content
 * streams (PDF objects and zlib). Shared by the export tests and the export benchmark.
 */
import { inflateSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import type { EChartsOption } from 'echarts';

export interface SvgElement {
  name: string;
  attrs: Record<string, string>;
  children: SvgElement[];
}

type OrderedNode = Record<string, unknown>;

function toElements(nodes: OrderedNode[]): SvgElement[] {
  const out: SvgElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (name === undefined || name === '#text' || name === '#cdata') continue;
    const attrs = (node[':@'] ?? {}) as Record<string, string>;
    out.push({ name, attrs, children: toElements(node[name] as OrderedNode[]) });
  }
  return out;
}

/** The SVG's element tree; throws when the text is not well-formed XML. */
export function parseSvg(svg: string): SvgElement {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    parseAttributeValue: false,
  });
  const roots = toElements(parser.parse(svg, true) as OrderedNode[]);
  const root = roots.find((e) => e.name === 'svg');
  if (root === undefined) throw new Error('no <svg> root');
  return root;
}

export function allElements(root: SvgElement, name: string): SvgElement[] {
  const found: SvgElement[] = [];
  const walk = (e: SvgElement): void => {
    if (e.name === name) found.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return found;
}

/** The line paths stroked in `color` (ECharts draws one path per line series). */
export function seriesPaths(root: SvgElement, color: string): SvgElement[] {
  return allElements(root, 'path').filter((p) => p.attrs['stroke']?.toLowerCase() === color.toLowerCase());
}

/** Move-to and line-to commands in a path: one per drawn vertex. */
export function pathCommands(d: string): { moves: number; lines: number } {
  return { moves: (d.match(/M/g) ?? []).length, lines: (d.match(/L/g) ?? []).length };
}

export interface PngInfo {
  width: number;
  height: number;
  /** Length of the inflated image data, which must be height * (1 + width * bytes per pixel). */
  inflatedBytes: number;
  bytesPerPixel: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads the IHDR chunk and inflates the IDAT stream: a decode of the container, short of unfiltering. */
export function readPng(png: Buffer): PngInfo {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let bytesPerPixel = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const bitDepth = data[8] ?? 0;
      const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[data[9] ?? -1] ?? 0;
      if (bitDepth !== 8 || channels === 0) throw new Error(`unexpected PNG format ${bitDepth}/${data[9]}`);
      bytesPerPixel = channels;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  return { width, height, bytesPerPixel, inflatedBytes: inflateSync(Buffer.concat(idat)).length };
}

export interface PdfInfo {
  mediaBoxes: number[][];
  /** Every stream's bytes, inflated where it was Flate-compressed, as latin1 text. */
  streams: string[];
  text: string;
}

export function readPdf(pdf: Buffer): PdfInfo {
  const text = pdf.toString('latin1');
  if (!text.startsWith('%PDF-')) throw new Error('not a PDF');
  const mediaBoxes = [...text.matchAll(/\/MediaBox\s*\[([^\]]*)\]/g)].map((m) =>
    (m[1] ?? '').trim().split(/\s+/).map(Number),
  );
  const streams: string[] = [];
  // "stream" that is not the end of "endstream"; pdfkit ends the data with a line feed.
  const re = /(?<!end)stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index + m[0].length;
    const end = text.indexOf('\nendstream', start);
    if (end < 0) break;
    const raw = pdf.subarray(start, end);
    try {
      streams.push(inflateSync(raw).toString('latin1'));
    } catch {
      streams.push(raw.toString('latin1'));
    }
    re.lastIndex = end;
  }
  return { mediaBoxes, streams, text };
}

/** A line chart of two series with known points, no symbols (each series is one path). */
export function twoSeriesOption(a: number[], b: number[]): EChartsOption {
  return {
    xAxis: { type: 'value', name: 'step' },
    yAxis: { type: 'value', name: 'loss' },
    series: [
      { type: 'line', name: 'a', showSymbol: false, data: a.map((y, x) => [x, y]) },
      { type: 'line', name: 'b', showSymbol: false, data: b.map((y, x) => [x, y]) },
    ],
  };
}
