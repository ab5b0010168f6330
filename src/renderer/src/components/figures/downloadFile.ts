/**
 * Saves an exported figure (figures.export's FigureFile: base64 content) as a download: a Blob URL on
 * an `<a download>` clicked once. The same in Electron (its will-download saves to the Downloads
 * folder, or asks) and in a browser under `normlab serve`.
 */
import type { FigureFile } from '../../../../shared/plots';

/** The bytes of base64 text (atob gives one char per byte). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function fileBlob(file: Pick<FigureFile, 'mime' | 'base64'>): Blob {
  return new Blob([base64Bytes(file.base64)], { type: file.mime });
}

/**
 * Starts the download. The object URL is revoked a little later: revoking at once cancels the
 * download in some browsers, which read the Blob after the click returns.
 */
export function downloadFile(
  file: Pick<FigureFile, 'fileName' | 'mime' | 'base64'>,
  doc: Document = document,
): void {
  const url = URL.createObjectURL(fileBlob(file));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
