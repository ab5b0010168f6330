/**
 * Times the export of a six-panel figure (3 x 2 grids, three 500-point line series each, two columns
 * wide) as SVG, PDF and PNG at 300 DPI. Prints the times; asserts nothing, since they depend on the
 * machine. Run: npx tsx test/main/api/figures/exportTiming.ts
 */
import { performance } from 'node:perf_hooks';

import {
  FIGURE_WIDTH_MM,
  applyPrintStyle,
  figureSizePx,
  renderSvg,
  svgToPdf,
  svgToPng,
} from '../../../../src/main/api/figures/export';
import { readPdf, readPng, sixPanelOption } from './figureFiles';

const widthMm = FIGURE_WIDTH_MM.twoColumn;
const heightMm = 110;
const REPEATS = 5;

async function median(task: () => Promise<unknown>): Promise<number> {
  await task(); // Warm-up: module loading, font parsing, JIT.
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const option = applyPrintStyle(sixPanelOption(500), widthMm);
  const size = figureSizePx({ widthMm, heightMm });
  const svg = renderSvg(option, size);
  const pdf = await svgToPdf(svg, { widthMm, heightMm });
  const png = await svgToPng(svg, { widthMm, dpi: 300 });
  const pngInfo = readPng(png);
  const box = readPdf(pdf).mediaBoxes[0] ?? [];

  const svgMs = await median(async () => renderSvg(option, size));
  const pdfMs = await median(() => svgToPdf(renderSvg(option, size), { widthMm, heightMm }));
  const pngMs = await median(() => svgToPng(renderSvg(option, size), { widthMm, dpi: 300 }));
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
  console.log(
    `six-panel figure, ${widthMm.toFixed(1)} x ${heightMm} mm, 6 x 3 series x 500 points (median of ${REPEATS})`,
  );
  console.log(`  SVG            ${svgMs.toFixed(0).padStart(5)} ms  ${kb(svg.length)}`);
  console.log(
    `  PDF            ${pdfMs.toFixed(0).padStart(5)} ms  ${kb(pdf.length)}  page ${box.join(' ')} pt`,
  );
  console.log(
    `  PNG @ 300 dpi  ${pngMs.toFixed(0).padStart(5)} ms  ${kb(png.length)}  ${pngInfo.width} x ${pngInfo.height} px`,
  );
  console.log('  (PDF and PNG times include rendering the SVG)');
}

await main();
