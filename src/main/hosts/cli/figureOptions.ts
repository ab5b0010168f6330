/**
 * The options `normlab figure` and `normlab compare` share: the file format (from --format or the
 * --out extension), the printed size and DPI, and the smoothing. Each is checked here against the
 * contract's own bounds (shared/plots.ts), so a bad value is one line naming the flag before
 * anything is read or rendered.
 */
import { extname } from 'node:path';
import { UserError } from '../../../shared/errors';
import {
  BAND_KINDS,
  EXPORT_FORMATS,
  exportSizeSchema,
  templateSpecSchema,
  type BandKind,
  type ExportFormat,
  type ExportSize,
} from '../../../shared/plots';

export interface ExportFlags {
  format?: string;
  dpi?: string;
  widthMm?: string;
  heightMm?: string;
  smoothing?: string;
  band?: string;
  out?: string;
}

export interface ExportChoice {
  format: ExportFormat;
  size: ExportSize;
  out: string;
}

const FORMAT_LIST = EXPORT_FORMATS.join(', ');

function isFormat(text: string): text is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(text);
}

/** --format, else the extension of --out; --out is required. */
export function parseFormat(flags: Pick<ExportFlags, 'format' | 'out'>): {
  format: ExportFormat;
  out: string;
} {
  const out = flags.out;
  if (out === undefined || out === '') {
    throw new UserError('usage', 'give --out FILE, e.g. --out fig4.pdf (the extension sets the format)');
  }
  if (flags.format !== undefined) {
    const format = flags.format.toLowerCase();
    if (!isFormat(format))
      throw new UserError('usage', `--format takes ${FORMAT_LIST}, not "${flags.format}"`);
    return { format, out };
  }
  const ext = extname(out).slice(1).toLowerCase();
  if (!isFormat(ext)) {
    throw new UserError(
      'usage',
      `cannot tell the format from --out ${out}: give --format (${FORMAT_LIST}) or an --out file ending in one`,
    );
  }
  return { format: ext, out };
}

/** The [min, max] a number of the size schema allows, read from the contract. */
function bounds(key: 'dpi' | 'widthMm' | 'heightMm'): [number, number] {
  const field = exportSizeSchema.shape[key].unwrap();
  return [field.minValue ?? 0, field.maxValue ?? Number.POSITIVE_INFINITY];
}

function parseNumber(text: string, flag: string, [min, max]: [number, number], integer: boolean): number {
  const n = Number(text);
  const kind = integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UserError('usage', `${flag} takes ${kind} from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

export function parseSize(flags: Pick<ExportFlags, 'dpi' | 'widthMm' | 'heightMm'>): ExportSize {
  return exportSizeSchema.parse({
    ...(flags.dpi !== undefined ? { dpi: parseNumber(flags.dpi, '--dpi', bounds('dpi'), true) } : {}),
    ...(flags.widthMm !== undefined
      ? { widthMm: parseNumber(flags.widthMm, '--width-mm', bounds('widthMm'), false) }
      : {}),
    ...(flags.heightMm !== undefined
      ? { heightMm: parseNumber(flags.heightMm, '--height-mm', bounds('heightMm'), false) }
      : {}),
  });
}

export function parseExport(flags: ExportFlags): ExportChoice {
  return { ...parseFormat(flags), size: parseSize(flags) };
}

/** --smoothing A: the EMA factor in [0, max), 0 (the default) is off. */
export function parseSmoothing(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const field = templateSpecSchema.shape.smoothing.unwrap();
  return parseNumber(text, '--smoothing', [field.minValue ?? 0, field.maxValue ?? 1], false);
}

export function parseBand(text: string | undefined): BandKind | undefined {
  if (text === undefined) return undefined;
  if (!(BAND_KINDS as readonly string[]).includes(text)) {
    throw new UserError('usage', `--band takes ${BAND_KINDS.join(' or ')}, not "${text}"`);
  }
  return text as BandKind;
}

/** "a,b, c" -> ['a', 'b', 'c']; empty parts are dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
