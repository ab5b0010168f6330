// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  base64Bytes,
  downloadFile,
  fileBlob,
} from '../../../src/renderer/src/components/figures/downloadFile';

afterEach(() => vi.restoreAllMocks());

describe('downloading an exported figure', () => {
  it('decodes base64 to the original bytes, binary included', async () => {
    const original = Uint8Array.from({ length: 256 }, (_, i) => i);
    const base64 = btoa(String.fromCharCode(...original));
    expect([...base64Bytes(base64)]).toEqual([...original]);
    const blob = fileBlob({ mime: 'image/png', base64 });
    expect(blob.type).toBe('image/png');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...original]);
  });

  it('clicks one <a download> with the file name and a blob URL, then removes it', () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return 'blob:test/1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicks: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    });
    vi.useFakeTimers();
    try {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
      downloadFile({
        fileName: 'fig4.svg',
        mime: 'image/svg+xml',
        base64: btoa(svg),
      });
      expect(clicks).toEqual([{ href: 'blob:test/1', download: 'fig4.svg' }]);
      expect(created[0]?.type).toBe('image/svg+xml');
      expect(document.querySelectorAll('a[download]')).toHaveLength(0);
      expect(revoke).not.toHaveBeenCalled();
      vi.advanceTimersByTime(60_000);
      expect(revoke).toHaveBeenCalledWith('blob:test/1');
    } finally {
      vi.useRealTimers();
    }
  });
});
