/** Screenshots of the views under test-results/ (git-ignored), whole view even when it scrolls. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/repoPaths';

export const RESULTS_DIR = join(REPO_ROOT, 'test-results');

/**
 * Saves test-results/NAME.png. The app scrolls inside its main pane, so the viewport grows to the
 * pane's content height (up to `maxHeight`) for the shot, then returns to its size.
 */
export async function screenshot(page: Page, name: string, maxHeight = 2400): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  const size = page.viewportSize() ?? { width: 1440, height: 900 };
  const content = await page.evaluate(
    'Math.max(...[...document.querySelectorAll(".main, .main > *")].map((e) => e.scrollHeight))',
  );
  const height = Math.min(maxHeight, Math.max(size.height, Number(content) || 0));
  if (height > size.height) await page.setViewportSize({ width: size.width, height });
  await page.waitForTimeout(150);
  await page.screenshot({ path });
  if (height > size.height) await page.setViewportSize(size);
  return path;
}
