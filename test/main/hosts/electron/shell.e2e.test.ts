/**
 * The Electron shell opens its window and shows the renderer. Runs where the Electron binary exists;
 * elsewhere (machines where `npm install electron` could not download it) it is skipped with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../../..');

/** The binary electron's own index.js would run, without letting it try a download. */
function electronBinary(): { path: string } | { reason: string } {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile))
    return { reason: 'the Electron binary was not downloaded (node_modules/electron/path.txt is missing)' };
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { reason: `the Electron binary ${binary} is missing` };
}

const found = electronBinary();
if ('reason' in found) console.info(`Electron shell test skipped: ${found.reason}`);

describe.skipIf('reason' in found)('Electron shell', () => {
  it('opens the NormLab window with the renderer and the preload bridge', async () => {
    const app = await electron.launch({ executablePath: (found as { path: string }).path, args: [root] });
    try {
      const win = await app.firstWindow();
      await win.waitForSelector('h1');
      expect(await win.title()).toBe('NormLab');
      expect(await win.textContent('h1')).toBe('NormLab');
      const bridge = await win.evaluate(
        () => typeof (globalThis as unknown as { normlab?: unknown }).normlab,
      );
      expect(bridge).toBe('object');
    } finally {
      await app.close();
    }
  });
});
