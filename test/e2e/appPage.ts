/**
 * What the browser tests of the app share: the prerequisites they skip without (Chromium, the built
 * app, the shared CIFAR-10 copy), and the app opened in Chromium against a fresh `normlab serve`,
 * with the page's errors and console errors collected for the test to check.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI_BUNDLE, REPO_ROOT, SHARED_CIFAR10 } from '../helpers/repoPaths';
import { startServe, type ServeOptions, type ServeProcess } from './serveProcess';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const RENDERER_INDEX = join(REPO_ROOT, 'out', 'renderer', 'index.html');

/**
 * What is missing to run a browser test of the app with CIFAR-10 (warned once, naming `suite`);
 * empty when it can run.
 */
export function missingForApp(suite: string): string[] {
  const missing = [
    [CHROMIUM, 'Chromium (apt install chromium, or CHROMIUM_PATH)'],
    [CLI_BUNDLE, 'the built CLI (npm run build)'],
    [RENDERER_INDEX, 'the built renderer (npm run build)'],
    [join(SHARED_CIFAR10, 'test_batch.bin'), 'the shared CIFAR-10 copy'],
  ]
    .filter(([path]) => !existsSync(path as string))
    .map(([path, what]) => `${what} at ${path}`);
  if (missing.length) console.warn(`${suite} skipped: missing ${missing.join('; ')}`);
  return missing;
}

export interface AppPage {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  /** Uncaught errors in the page, and console.error messages, as they came. */
  pageErrors: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Starts `normlab serve` with `options`, opens its page in Chromium (1440 x 900) and waits for it. */
export async function openAppPage(options: ServeOptions): Promise<AppPage> {
  const serve = await startServe(options);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(serve.url);
  return {
    serve,
    browser,
    page,
    pageErrors,
    consoleErrors,
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}
