/**
 * The Electron shell end to end (Playwright's Electron support), on a temporary NORMLAB_HOME: the
 * window shows the renderer; the page has `window.normlab` (call and onEvent only) and no Node
 * (`require`, `process`); the CSP refuses inline scripts; a call through the bridge reaches the
 * service; window.open is refused. Runs where the Electron binary exists (and, on Linux, a display);
 * elsewhere (machines where `npm install` could not download it) it is skipped with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../../../helpers/cliBuild';
import { tempDirs } from '../../../helpers/tempDirs';

const root = resolve(__dirname, '../../../..');
const temp = tempDirs('electron-shell');
afterAll(() => temp.cleanup());

/** The binary electron's own index.js would run, without letting it try a download. */
function electronBinary(): { path: string } | { reason: string } {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile))
    return { reason: 'the Electron binary was not downloaded (node_modules/electron/path.txt is missing)' };
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary ${binary} is missing` };
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
    return { reason: 'there is no display (run it under xvfb-run)' };
  return { path: binary };
}

/** This process's environment for Electron, without ELECTRON_RUN_AS_NODE (which makes it plain Node). */
function electronEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  return { ...env, ...extra };
}

const found = electronBinary();
if ('reason' in found) console.info(`Electron shell test skipped: ${found.reason}`);

interface PageFacts {
  bridgeKeys: string[];
  require: string;
  process: string;
  inlineScriptRan: boolean;
  cspMeta: string | null;
  windowOpen: string;
  info: { ok: boolean; result?: { host?: string; dbPath?: string } };
}

/** The page's globals these checks read (this project's Node tsconfig has no DOM types). */
interface PageGlobals {
  document: {
    getElementById(id: string): { children: { length: number } } | null;
    createElement(tag: string): { textContent: string };
    head: { append(node: unknown): void };
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
  normlab: { call(method: string, params: unknown): Promise<PageFacts['info']> };
  open(url: string): unknown;
  require?: unknown;
  process?: unknown;
  __inlineRan?: boolean;
}

describe.skipIf('reason' in found)('Electron shell', () => {
  it('opens a sandboxed NormLab window whose page has only window.normlab', async () => {
    await ensureCliBuilt();
    const home = temp.make();
    const app = await electron.launch({
      executablePath: (found as { path: string }).path,
      // Chromium's OS sandbox cannot start as root (containers); the page keeps Electron's sandbox.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
      env: electronEnv({ NORMLAB_HOME: home }),
    });
    try {
      const win = await app.firstWindow();
      // Functions passed to the page travel as source text: each names globalThis itself.
      await win.waitForFunction(() => {
        const g = globalThis as unknown as PageGlobals;
        return (g.document.getElementById('app')?.children.length ?? 0) > 0;
      });
      expect(await win.title()).toBe('NormLab');
      const facts = await win.evaluate(async (): Promise<PageFacts> => {
        const g = globalThis as unknown as PageGlobals;
        const script = g.document.createElement('script');
        script.textContent = 'globalThis.__inlineRan = true';
        g.document.head.append(script);
        const meta = g.document.querySelector('meta[http-equiv="Content-Security-Policy"]');
        return {
          bridgeKeys: Object.keys(g.normlab).sort(),
          require: typeof g.require,
          process: typeof g.process,
          inlineScriptRan: g.__inlineRan === true,
          cspMeta: meta?.getAttribute('content') ?? null,
          windowOpen: String(g.open('https://example.com/')),
          info: await g.normlab.call('app.info', {}),
        };
      });
      expect(facts.bridgeKeys).toEqual(['call', 'onEvent']);
      expect(facts.require).toBe('undefined');
      expect(facts.process).toBe('undefined');
      expect(facts.inlineScriptRan).toBe(false);
      expect(facts.cspMeta).toContain("script-src 'self'");
      expect(facts.windowOpen).toBe('null');
      expect(facts.info.ok).toBe(true);
      expect(facts.info.result?.host).toBe('electron');
      expect(facts.info.result?.dbPath?.startsWith(home)).toBe(true);

      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
