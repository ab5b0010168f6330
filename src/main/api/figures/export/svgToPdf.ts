/**
 * SVG to PDF with pdfkit and svg-to-pdfkit, both pure JavaScript that run in Node without a DOM
 * (svg2pdf.js needs one). Paths stay vector paths and text stays text in DejaVu Sans, embedded as a
 * subset, so the PDF looks the same in any viewer and its text can be searched and copied.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';

import { findFigureFont, missingFontMessage } from './fonts';
import { mmToPt } from './printStyle';

export interface PdfOptions {
  widthMm: number;
  heightMm: number;
  /** A TrueType file to embed instead of the system's DejaVu Sans. */
  fontFile?: string;
}

const REGULAR = 'figure-regular';
const BOLD = 'figure-bold';

/** A one-page PDF of the figure's printed size (in points); the SVG is scaled to fill it. */
export function svgToPdf(svg: string, options: PdfOptions): Promise<Buffer> {
  const { widthMm, heightMm } = options;
  if (!(widthMm > 0 && heightMm > 0) || !Number.isFinite(widthMm + heightMm)) {
    return Promise.reject(new Error(`svgToPdf: size must be positive, got ${widthMm} x ${heightMm} mm`));
  }
  const font = findFigureFont(options.fontFile);
  if (font === null) return Promise.reject(new Error(missingFontMessage(options.fontFile)));
  const width = mmToPt(widthMm);
  const height = mmToPt(heightMm);
  return new Promise<Buffer>((resolve, reject) => {
    // `font` makes DejaVu the document's initial font, so pdfkit never references its Helvetica.
    const doc = new PDFDocument({ size: [width, height], margin: 0, font: font.regular });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont(REGULAR, font.regular);
      doc.registerFont(BOLD, font.bold ?? font.regular);
      // Every SVG family maps to the embedded font: the export's look must not depend on the system.
      SVGtoPDF(doc, svg, 0, 0, {
        width,
        height,
        fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
      });
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
