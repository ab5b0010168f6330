/** The line `normlab figure` / `compare` print for a written file: its path, size and, for a PNG, pixels. */
import type { ExportFormat } from '../../../shared/plots';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
export function pngPixels(png: Uint8Array): { width: number; height: number } | null {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function figureFileLine(path: string, format: ExportFormat, bytes: Uint8Array, dpi: number): string {
  const px = format === 'png' ? pngPixels(bytes) : null;
  const pixels = px ? `, ${px.width} x ${px.height} px at ${dpi} dpi` : '';
  return `wrote ${path} (${format.toUpperCase()}, ${formatBytes(bytes.length)}${pixels})`;
}
